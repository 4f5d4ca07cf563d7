"""Explanations (情况说明) of school gaps and of committee totals: who may write them, and the
service that writes them with their history."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import access
from branches.models import Organization
from members.watch import WatchedRecord, guard_write
from reports.models import EducationCount, Explanation
from reports.models.schools import normalize_education_code

from .lines import Cities, SchoolLine, school_lines


@dataclass(frozen=True)
class ExplanationTarget:
    """What an explanation is about, and the organisation whose staff may write it."""

    year: int
    subject: str
    governing: Organization
    line: SchoolLine | None = None
    explanation: Explanation | None = None

    @property
    def school_code(self):
        return self.line.school_code if self.line else ""

    @property
    def title(self):
        return self.line.name if self.line else self.governing.name


def school_target(user, year, school_code):
    """The school with ``school_code`` in ``year`` and who governs it; 404 outside the user's
    scope or when the school is known neither to the education figures nor to the tree.

    A school of the tree is governed by its own organisation (so its committee, its city and
    every committee above may explain it); a school absent from the tree by the city it was
    attributed to, or the province.
    """
    code = normalize_education_code(school_code)
    row = EducationCount.objects.for_year(year).filter(school_code=code).first() if code else None
    school = Organization.objects.schools().filter(school_code=code).first() if code else None
    if school is not None:
        governing = school
    elif row is not None:
        governing = Cities().named(row.city_name) or Organization.objects.get_first_root_node()
    else:
        raise Http404("No such school.")
    if not access.is_in_scope(user, governing):
        raise Http404("No such school.")
    if school is not None:
        line = next(line for line in school_lines(school, year) if line.school_code == code)
    else:
        line = SchoolLine.from_education(row, owner_path=governing.path)
    explanation = Explanation.objects.filter(
        year=year, subject=Explanation.Subject.SCHOOL, school_code=code
    ).first()
    return ExplanationTarget(
        year=year,
        subject=Explanation.Subject.SCHOOL,
        governing=governing,
        line=line,
        explanation=explanation,
    )


def committee_target(user, year, organization):
    """The committee's own explanation of its total; ``organization`` is already in scope."""
    explanation = Explanation.objects.filter(
        year=year, subject=Explanation.Subject.COMMITTEE, organization=organization
    ).first()
    return ExplanationTarget(
        year=year,
        subject=Explanation.Subject.COMMITTEE,
        governing=organization,
        explanation=explanation,
    )


def can_explain(user, target):
    return access.can(user, access.Capability.EXPLAIN, target.governing)


def explanation_save(*, user, target, text):
    """Write or rewrite the explanation of ``target``; the history keeps every version."""
    if not can_explain(user, target):
        raise ValidationError(_("You may not write this explanation."))
    explanation = target.explanation or Explanation(
        year=target.year,
        subject=target.subject,
        school_code=target.school_code,
        organization=target.governing if target.subject == Explanation.Subject.COMMITTEE else None,
    )
    explanation.text = text
    explanation.written_by = user
    explanation.written_at = timezone.now()
    explanation.full_clean()
    explanation._history_user = user  # the history names the writer, in commands too
    with transaction.atomic():
        action = "created" if explanation._state.adding else "changed"
        explanation.save()
        guard_write(
            kind="explanation",
            action=action,
            records=[
                WatchedRecord(
                    explanation.pk, target.title, frozenset({(target.governing.pk, target.year)})
                )
            ],
            user=user,
        )
    return explanation


def explanation_history(explanation):
    """Earlier and current versions of an explanation, newest first (one query)."""
    if explanation is None:
        return []
    return list(explanation.history.select_related("history_user").order_by("-history_date"))
