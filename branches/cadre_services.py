"""Writes to the cadre register (团干部), shared by the admin, the register's import and the
demo. ``branches.services`` names them too, beside the tree's other writes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches import access
from branches.models import Cadre, Organization

#: the fields of a cadre a form, an import or a command may set
CADRE_FIELDS = (
    "organization",
    "position",
    "name",
    "id_number",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "phone",
    "political_status",
    "nature",
    "on_party_committee",
    "start_date",
    "term",
    "term_end",
)


def cadre_check_scope(*, cadre, user=None):
    """Raise ValidationError unless ``user`` may manage the cadre's organisation, and, for a
    cadre already stored, the organisation it was stored under."""
    if user is None:
        return
    organizations = [cadre.organization] if cadre.organization_id else []
    if not cadre._state.adding:
        organizations.append(Organization.objects.get(cadres__pk=cadre.pk))
    for organization in organizations:
        if not access.can(user, access.Capability.MANAGE_ORGANIZATIONS, organization):
            raise ValidationError({"organization": _("No such organisation in your scope.")})


def cadre_save(*, cadre, user=None):
    """Validate and store ``cadre`` as it stands (a form's or an import's instance)."""
    cadre_check_scope(cadre=cadre, user=user)
    cadre.full_clean()
    with transaction.atomic():
        cadre.save()
    return cadre


def _known_fields(fields):
    unknown = set(fields) - set(CADRE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown cadre fields: {', '.join(sorted(unknown))}")


def cadre_create(*, organization, position, name, start_date, nature, user=None, **fields):
    """Record a cadre in post at ``organization``; ``fields`` are the other
    :data:`CADRE_FIELDS`. With ``user`` given, the organisation must be one they manage."""
    _known_fields(fields)
    cadre = Cadre(
        organization=organization,
        position=position,
        name=name,
        start_date=start_date,
        nature=nature,
        **fields,
    )
    return cadre_save(cadre=cadre, user=user)


def cadre_update(*, cadre, user=None, **fields):
    """Change a cadre's record; with ``user`` given, the cadre's organisation (before and after
    the change) must be one they manage."""
    _known_fields(fields)
    for name, value in fields.items():
        setattr(cadre, name, value)
    return cadre_save(cadre=cadre, user=user)


def cadre_end(*, cadre, ended_on, user=None):
    """End a cadre's post on ``ended_on``; the record stays, with its history."""
    if cadre.ended_on is not None:
        raise ValidationError(_("This post has already ended."))
    cadre.ended_on = ended_on
    return cadre_save(cadre=cadre, user=user)
