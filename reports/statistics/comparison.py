"""The year's figures of an organisation and its children against last year's frozen figures,
the declines that need a written explanation, and the service that writes one.

A year already frozen is read from its snapshot; the year in progress (or a past year never
frozen) is counted from dates (:func:`reports.statistics.figures.year_counts`). Last year's
figures are always the frozen ones: a child without a snapshot has nothing to compare with.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import access
from branches.models import Organization
from reports.models import DeclineExplanation, YearEndFigures
from reports.statistics.figures import FIGURES, FIGURES_BY_NAME, add, empty, year_counts


def decline_threshold():
    return settings.YOUTHLEAGUE["STATISTICS_DECLINE_THRESHOLD"]


@dataclass(frozen=True)
class Comparison:
    """One figure of one organisation: this year, last year's frozen value, the change."""

    figure: object
    current: int
    previous: int | None
    explanation: DeclineExplanation | None = None
    threshold: float = 0.05

    @property
    def change(self):
        return None if self.previous is None else self.current - self.previous

    @property
    def change_ratio(self):
        if not self.previous:
            return None
        return round((self.current - self.previous) / self.previous, 4)

    @property
    def needs_explanation(self):
        """A fall of more than the threshold's share of last year's figure, for figures whose
        fall matters."""
        ratio = self.change_ratio
        return self.figure.explain_declines and ratio is not None and -ratio > self.threshold

    @property
    def unexplained(self):
        return self.needs_explanation and self.explanation is None


@dataclass(frozen=True)
class StatisticsLine:
    organization: Organization
    comparisons: list
    is_total: bool = False

    @property
    def declines(self):
        return [c for c in self.comparisons if c.needs_explanation]


@dataclass(frozen=True)
class Statistics:
    organization: Organization
    year: int
    frozen: bool
    lines: list  # the children, then the organisation's own total

    @property
    def declines(self):
        return [(line, c) for line in self.lines for c in line.declines]

    @property
    def unexplained(self):
        return [(line, c) for line, c in self.declines if c.unexplained]


def current_year(today=None):
    return (today or timezone.localdate()).year


def _frozen(organizations, year):
    return {
        row.organization_id: row.figures
        for row in YearEndFigures.objects.filter(
            organization__in=[o.pk for o in organizations], year=year
        )
    }


def year_figures(organization, year, children):
    """``(frozen, {organisation pk: figures})`` of ``year`` for ``children`` and
    ``organization`` itself (its whole subtree)."""
    everyone = [*children, organization]
    frozen = _frozen(everyone, year)
    if organization.pk in frozen:
        return True, {o.pk: {**empty(), **frozen.get(o.pk, {})} for o in everyone}
    counted = year_counts(organization.path, organization.depth + 1, year)
    total = empty()
    for values in counted.values():
        add(total, values)
    result = {child.pk: {**empty(), **counted.get(child.path, {})} for child in children}
    result[organization.pk] = total
    return False, result


def statistics_for(organization, year):
    """The children of ``organization`` and its total, each figure against last year's.

    A bounded number of queries: the children, the year's figures (one snapshot read, or four
    grouped counts), last year's snapshot, the explanations.
    """
    children = list(Organization.objects.children_of(organization).current())
    frozen, figures = year_figures(organization, year, children)
    everyone = [*children, organization]
    previous = _frozen(everyone, year - 1)
    explanations = {
        (e.organization_id, e.figure): e
        for e in DeclineExplanation.objects.filter(
            organization__in=[o.pk for o in everyone], year=year
        )
    }
    threshold = decline_threshold()
    lines = []
    for org in everyone:
        last = previous.get(org.pk)
        lines.append(
            StatisticsLine(
                organization=org,
                is_total=org.pk == organization.pk,
                comparisons=[
                    Comparison(
                        figure=figure,
                        current=figures[org.pk].get(figure.name, 0),
                        previous=None if last is None else last.get(figure.name, 0),
                        explanation=explanations.get((org.pk, figure.name)),
                        threshold=threshold,
                    )
                    for figure in FIGURES
                ],
            )
        )
    return Statistics(organization=organization, year=year, frozen=frozen, lines=lines)


def can_explain(user, organization):
    """Staff of the organisation (or of a committee above) explain its declines."""
    return access.can(user, access.Capability.EXPLAIN, organization)


def decline_explanation_save(*, user, organization, year, figure, text):
    """Write or rewrite why ``organization``'s ``figure`` fell in ``year``; the history keeps
    every version."""
    if figure not in FIGURES_BY_NAME or not FIGURES_BY_NAME[figure].explain_declines:
        raise ValidationError(_("This figure needs no explanation."))
    if user is not None and not can_explain(user, organization):
        raise PermissionDenied(_("You may not write this explanation."))
    explanation = DeclineExplanation.objects.filter(
        organization=organization, year=year, figure=figure
    ).first() or DeclineExplanation(organization=organization, year=year, figure=figure)
    explanation.text = text
    explanation.written_by = user if getattr(user, "pk", None) else None
    explanation.written_at = timezone.now()
    explanation.full_clean()
    explanation._history_user = explanation.written_by
    with transaction.atomic():
        explanation.save()
    return explanation


def explanation_history(explanation):
    """Earlier and current versions of an explanation, newest first (one query)."""
    if explanation is None:
        return []
    return list(explanation.history.select_related("history_user").order_by("-history_date"))
