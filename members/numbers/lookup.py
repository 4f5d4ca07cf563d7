"""The batch look-up (paste-and-check): the whereabouts of up to 10,000 pasted development
numbers or ID numbers, within the user's scope, every look-up logged."""

import bisect
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches import access
from members import validators
from members.models import (
    IssuedNumber,
    LookupLog,
    Member,
    NumberRange,
    NumberStatus,
    UnusedNumber,
)
from members.models.numbers import YEAR_DIVISOR, format_number
from members.numbers import ledger
from spreadsheets.writer import Column, Kind

LOOKUP_LIMIT = 10_000
LOOKUP_CHUNK = 1_000
FINDINGS_SHOWN = 2_000


class Whereabouts(models.TextChoices):
    USED = "used", _("in the system")
    REGISTERED = "registered", _("registered as unused")
    ISSUED = "issued", _("issued, member not yet entered")
    UNACCOUNTED = "unaccounted", _("unaccounted")
    AVAILABLE = "available", _("available (its year is not over)")
    OUTSIDE = "outside", _("outside your ranges")
    NOT_FOUND = "not_found", _("not in the system")
    OUT_OF_SCOPE = "out_of_scope", _("not within your scope")
    MALFORMED = "malformed", _("malformed")


class LineKind(models.TextChoices):
    NUMBER = "number", _("development number")
    ID_NUMBER = "id_number", _("ID number")
    UNKNOWN = "", _("unrecognised")


@dataclass
class Finding:
    """The whereabouts of one pasted line."""

    line: int
    text: str
    kind: str = LineKind.UNKNOWN
    value: object = None
    whereabouts: str = Whereabouts.MALFORMED
    detail: str = ""

    @property
    def whereabouts_label(self):
        return Whereabouts(self.whereabouts).label

    @property
    def kind_label(self):
        return LineKind(self.kind).label


def _classify(line, text):
    finding = Finding(line=line, text=text.strip())
    value = validators.normalize_id_number(text)
    if validators.DEVELOPMENT_NUMBER_RE.match(value):
        finding.kind, finding.value = LineKind.NUMBER, int(value)
    elif len(value) == 18:
        finding.kind = LineKind.ID_NUMBER
        try:
            finding.value = validators.validate_id_number(value)
        except ValidationError as exc:
            finding.detail = "；".join(exc.messages)
    else:
        finding.detail = str(_("Neither a 12-digit development number nor an 18-character ID."))
    return finding


def _chunks(values):
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def _scope_ranges(user):
    """The outermost ranges of the user's scope: every range they may see nests in one."""
    root = access.scope_root(user)
    ranges = NumberRange.objects.filter(level=1) if root is None else root.number_ranges.all()
    return sorted(ranges.values_list("first", "last"))


def _sees_member(user, member):
    """The rule of ``Member.objects.visible_to``, for one loaded member."""
    return access.is_in_scope(user, member.branch) or access.is_in_scope(
        user, member.developing_organization
    )


def _member_place(user, member):
    """Where a member is, told only to those who may see the member."""
    if _sees_member(user, member):
        return f"{member.branch.name}（{member.branch.code}）"
    return str(_("outside your scope"))


def _members_by(field, values):
    return Member.objects.filter(**{f"{field}__in": values}).select_related(
        "branch", "developing_organization"
    )


def _covering(spans, numbers):
    """{number: span row} for sorted ``numbers`` and an iterator of spans sorted by first."""
    found = {}
    index = 0
    for span in spans:
        first, last = span[0], span[1]
        while index < len(numbers) and numbers[index] < first:
            index += 1
        probe = index
        while probe < len(numbers) and numbers[probe] <= last:
            found[numbers[probe]] = span
            probe += 1
    return found


def _number_findings(numbers, user):
    years = ledger.years_for()
    outer = _scope_ranges(user)
    starts = [first for first, _last in outer]
    results = {}
    for chunk in _chunks(sorted(numbers)):
        members = {m.development_number: m for m in _members_by("development_number", chunk)}
        registered = _covering(
            UnusedNumber.objects.overlapping(chunk[0], chunk[-1])
            .order_by("first")
            .values_list("first", "last", "status")
            .iterator(chunk_size=LOOKUP_CHUNK),
            chunk,
        )
        issued = dict(
            IssuedNumber.objects.filter(number__in=chunk).values_list(
                "number", "organization__name"
            )
        )
        for number in chunk:
            position = bisect.bisect_right(starts, number) - 1
            inside = position >= 0 and number <= outer[position][1]
            # Existence outside the user's subtree is told only for numbers of their own
            # ranges (the ledger needs to know who used them), or of members they see.
            if number in members and (inside or _sees_member(user, members[number])):
                results[number] = (Whereabouts.USED, _member_place(user, members[number]))
            elif not inside:
                results[number] = (Whereabouts.OUTSIDE, "")
            elif number in registered:
                results[number] = (
                    Whereabouts.REGISTERED,
                    str(NumberStatus(registered[number][2]).label),
                )
            elif number in issued:
                results[number] = (Whereabouts.ISSUED, issued[number])
            elif years.is_open(number // YEAR_DIVISOR):
                # Until its year is over an unused number is available, not unaccounted.
                results[number] = (Whereabouts.AVAILABLE, "")
            else:
                results[number] = (Whereabouts.UNACCOUNTED, "")
    return results


def _id_findings(id_numbers, user):
    """Members the user sees, by ID number. An ID number outside the user's scope reads "not
    within your scope" whether or not it exists, so that nothing leaks by the difference."""
    results = {}
    for chunk in _chunks(sorted(id_numbers)):
        for member in _members_by("id_number", chunk):
            if not _sees_member(user, member):
                continue
            detail = _member_place(user, member)
            if member.development_number and access.is_in_scope(user, member.branch):
                detail = f"{detail} {format_number(member.development_number)}"
            results[member.id_number] = (Whereabouts.USED, detail)
    return results


def look_up(lines, *, user, downloaded=False):
    """The whereabouts of each pasted line, in a bounded number of queries (chunks of 1,000).

    Every look-up is logged (:class:`members.models.LookupLog`): who, when, how many lines of
    each kind, from which scope, and whether the answer was downloaded.
    """
    findings = [_classify(line, text) for line, text in enumerate(lines[:LOOKUP_LIMIT], start=1)]
    numbers = {f.value for f in findings if f.kind == LineKind.NUMBER}
    id_numbers = {f.value for f in findings if f.kind == LineKind.ID_NUMBER and f.value}
    by_number = _number_findings(numbers, user) if numbers else {}
    by_id = _id_findings(id_numbers, user) if id_numbers else {}
    missing = Whereabouts.NOT_FOUND if access.sees_everything(user) else Whereabouts.OUT_OF_SCOPE
    for finding in findings:
        if finding.kind == LineKind.NUMBER:
            finding.whereabouts, finding.detail = by_number[finding.value]
        elif finding.kind == LineKind.ID_NUMBER and finding.value:
            finding.whereabouts, finding.detail = by_id.get(finding.value, (missing, ""))
    lookup_log(user=user, findings=findings, downloaded=downloaded)
    return findings


def lookup_log(*, user, findings, downloaded=False):
    """Record one batch look-up."""
    root = access.scope_root(user)
    return LookupLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=user.get_username() if getattr(user, "pk", None) else "",
        scope_code=root.code if root is not None else "",
        lines=len(findings),
        numbers=sum(1 for f in findings if f.kind == LineKind.NUMBER),
        id_numbers=sum(1 for f in findings if f.kind == LineKind.ID_NUMBER),
        downloaded=downloaded,
    )


LOOKUP_COLUMNS = (
    Column("序号", Kind.INTEGER, 8),
    Column("查询内容", width=22),
    Column("类型", width=14),
    Column("下落", width=20),
    Column("说明", width=40),
)


def lookup_rows(findings):
    """The answer as rows of :data:`LOOKUP_COLUMNS`, one per pasted line."""
    for f in findings:
        yield [f.line, f.text, str(f.kind_label), str(f.whereabouts_label), f.detail]
