"""What the member entry form asks while it is being filled in, and releasing reserved numbers.

* ``entry_check``: the form posts what is typed so far; the answer (JSON) names the birth date
  and gender the ID number holds and every problem the save would find with the ID number,
  the birth date, the gender, the join date (the age at joining) and the development number
  (its year). It runs the model's own ``clean()``, the code the save runs.
* ``reservation_release``: a secretary gives back a number their form reserved.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from members import id_numbers
from members.choices import DocumentType, Gender
from members.models import Member
from members.numbers import reservations
from members.validators import parse_development_number

#: the fields whose problems the form shows while it is filled in
CHECKED_FIELDS = ("id_number", "birth_date", "gender", "join_date", "development_number")


def _date(text):
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _development_number(text):
    try:
        return parse_development_number(text) if (text or "").strip() else None
    except ValidationError:
        return None


def entry_problems(user, data):
    """``(fill, problems, notes)`` for the typed values ``data`` (a QueryDict or dict)."""
    number = id_numbers.normalize_id_number(data.get("id_number", ""))
    document_type = data.get("document_type") or None
    if document_type not in DocumentType.values:
        document_type = None
    problems = {}
    fill = {}
    notes = []
    if number:
        try:
            id_numbers.validate_id_number(number, document_type)
        except ValidationError as exc:
            problems["id_number"] = exc.messages
        else:
            kind = document_type or id_numbers.infer_document_type(number)
            if kind != DocumentType.OTHER:
                fill = {
                    "birth_date": id_numbers.birth_date_of(number).isoformat(),
                    "gender": id_numbers.gender_of(number),
                    "gender_label": str(Gender(id_numbers.gender_of(number)).label),
                }
            notes = [str(note) for note in id_numbers.id_number_notes(number, kind)]
    organization = None
    raw = str(data.get("developing_organization", ""))
    if raw.isdigit():
        organization = access.pickable_organizations(user).filter(pk=raw).first()
    member = Member(
        id_number=number,
        document_type=document_type or DocumentType.RESIDENT_ID,
        birth_date=_date(fill.get("birth_date") or data.get("birth_date")),
        gender=fill.get("gender") or data.get("gender") or "",
        join_date=_date(data.get("join_date")),
        development_number=_development_number(data.get("development_number")),
        developing_organization=organization,
    )
    if "id_number" in problems:
        # Judged above already; the model would only say it again.
        member.id_number = ""
    try:
        member.clean()
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            if (
                field in CHECKED_FIELDS
                and field not in problems
                and (field != "id_number" or number)
            ):
                problems[field] = errors
    return fill, problems, notes


@login_required
@require_POST
def entry_check(request):
    """JSON for the entry form: ``fill`` (birth date, gender), ``problems`` by field, ``notes``."""
    access.require(request.user, access.Capability.ENTER_MEMBERS)
    fill, problems, notes = entry_problems(request.user, request.POST)
    return JsonResponse({"fill": fill, "problems": problems, "notes": notes})


@login_required
@require_POST
def reservation_release(request):
    """Give back one of the user's reserved numbers, then return to their branch page."""
    number = _development_number(request.POST.get("number"))
    try:
        if number is None:
            raise ValidationError(_("You hold no reservation of this number."))
        reservations.number_reservation_release(number=number, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _("Number %(number)s is released and returns to the free pool.")
            % {"number": f"{number:012d}"},
        )
    return redirect("dashboard")
