"""The choices of a cadre record (团干部) and the cadre queryset. :mod:`branches.models` holds the
model and re-exports these names."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- cadres (团干部) ------------------------------------------------------------------------------


class Position(models.TextChoices):
    SECRETARY = "secretary", pgettext_lazy("cadre position", "organisation secretary")
    DEPUTY_SECRETARY = "deputy_secretary", pgettext_lazy("cadre position", "deputy secretary")
    ORGANIZATION = "organization", pgettext_lazy("cadre position", "organisation member")
    PUBLICITY = "publicity", pgettext_lazy("cadre position", "publicity member")
    DISCIPLINE = "discipline", pgettext_lazy("cadre position", "discipline member")
    MEMBER = "member", pgettext_lazy("cadre position", "committee member")


class Gender(models.TextChoices):
    MALE = "M", pgettext_lazy("cadre", "male")
    FEMALE = "F", pgettext_lazy("cadre", "female")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("CPC member")
    PROBATIONARY = "probationary", _("CPC probationary member")
    LEAGUE_MEMBER = "league_member", _("league member")
    MASSES = "masses", _("the masses")
    OTHER = "other", _("other")


class Nature(models.TextChoices):
    FULL_TIME = "full_time", _("full-time")
    PART_TIME = "part_time", _("part-time")
    SECONDED = "seconded", _("seconded")


class CadreQuerySet(models.QuerySet):
    def active(self):
        """Cadres in post: their post has not ended."""
        return self.filter(ended_on__isnull=True)

    def secretaries(self):
        return self.filter(position=Position.SECRETARY)

    def incomplete(self):
        """Cadres whose record lacks a phone or an ID number."""
        return self.filter(Q(phone="") | Q(id_number=""))

    def in_subtree(self, organization):
        return self.filter(organization__path__startswith=organization.path)
