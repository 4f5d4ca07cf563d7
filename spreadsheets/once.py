"""Work done once per distinct cell value in an import, not once per row.

A roster of 10,000 rows holds a handful of genders, peoples, education levels and a few thousand
dates: reading such a cell (a widget) or validating it (a model field's ``clean``) gives the same
answer, or the same error, for the same value. :class:`OncePerValue` keeps those answers per
column, up to a bound, so that columns with a value per person (names, ID numbers) cost no memory
beyond it.
"""

import copy

from django.core.exceptions import ValidationError

#: distinct values kept per column; beyond it a column is treated as one value per person
LIMIT = 5000


class OncePerValue:
    def __init__(self, limit=LIMIT):
        self.limit = limit
        self._answers = {}

    def get(self, column, value, compute):
        """``compute(value)``, or its answer for an equal value of ``column`` before; a
        ValueError or ValidationError it raised is raised again (a fresh copy)."""
        answers = self._answers.setdefault(column, {})
        try:
            key = (type(value), value)
            ok, answer = answers[key]
        except TypeError:  # an unhashable value: nothing to share
            return compute(value)
        except KeyError:
            try:
                ok, answer = True, compute(value)
            except (ValueError, ValidationError) as exc:
                ok, answer = False, exc
            if len(answers) < self.limit:
                answers[key] = (ok, answer)
        if not ok:
            raise copy.copy(answer)
        return answer

    def clean_fields(self, instance, exclude=()):
        """``Model.clean_fields`` with each field's ``clean`` asked once per value: for fields
        whose validation depends on their value only (no foreign keys, which go in ``exclude``)."""
        errors = {}
        for field in instance._meta.fields:
            if field.name in exclude or field.generated:
                continue
            raw = getattr(instance, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            try:
                cleaned = self.get(field.name, raw, lambda v, f=field: f.clean(v, instance))
            except ValidationError as exc:
                errors[field.name] = exc.error_list
            else:
                setattr(instance, field.attname, cleaned)
        if errors:
            raise ValidationError(errors)
