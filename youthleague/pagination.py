"""Paging long lists without counting millions of rows on every page view."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """Exact counts up to ``exact_up_to`` rows; above that, on PostgreSQL, the planner's estimate.

    A committee's member list may hold hundreds of thousands of rows: counting them exactly
    takes longer than showing the page. Paging by an estimate only changes how many page links
    are offered; every page still shows real rows.
    """

    exact_up_to = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query") or connections[queryset.db].vendor != "postgresql":
            return super().count
        bounded = queryset.order_by()[: self.exact_up_to + 1].count()
        if bounded <= self.exact_up_to:
            return bounded
        return max(self._estimate(queryset), bounded)

    @staticmethod
    def _estimate(queryset):
        sql, params = queryset.order_by().query.sql_with_params()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])
