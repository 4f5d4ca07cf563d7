"""The organisation tree's queryset and manager (subtrees, schools, open and closed organisations)
and the choices of an organisation and of its access roles. :mod:`branches.models` holds the models
and re-exports these names."""

from django.db import models
from django.db.models import OuterRef
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_NodeManager, MP_NodeQuerySet

#: The operator classes of the (depth, path) index: one level of a subtree (``depth = n AND path
#: LIKE 'prefix%'``, as the dashboards read their children's roll-ups) is a range of it.
DEPTH_OPS = ["int4_ops", "varchar_pattern_ops"]

#: Kinds whose names repeat across the tree by nature (every school has a 高三（1）班团支部): pickers
#: and lists show them with their parent's name.
REPEATING_NAME_KINDS = ("general_branch", "branch", "class_branch")


class OrganizationQuerySet(MP_NodeQuerySet):
    def with_parent_name(self):
        """Annotate ``parent_name`` on organisations whose names repeat (branches), so that
        ``str()`` reads 高三（1）班团支部 · 鼓楼区第一中学; one subquery on the unique path."""
        parent = self.model.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - self.model.steplen)
        ).values("name")[:1]
        return self.annotate(
            parent_name=models.Case(
                models.When(kind__in=REPEATING_NAME_KINDS, then=models.Subquery(parent)),
                default=models.Value(""),
                output_field=models.CharField(),
            )
        )

    def subtree_of(self, organization):
        """The organisation and everything below it: one indexed prefix query."""
        return self.filter(path__startswith=organization.path)

    def children_of(self, organization):
        return self.filter(path__startswith=organization.path, depth=organization.depth + 1)

    def schools(self):
        """Organisations that stand for a school: they carry the education department's code."""
        return self.exclude(school_code="")

    def class_branches(self):
        return self.filter(kind=Kind.CLASS_BRANCH)

    def current(self):
        """Organisations still open: neither closed (撤销) nor merged into another."""
        return self.filter(status=Status.OPEN)

    def closed(self):
        """Closed or merged organisations: kept, with their history, but no longer in use."""
        return self.exclude(status=Status.OPEN)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        # treebeard relies on path order for its tree operations.
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Kind(models.TextChoices):
    PROVINCE = "province", _("provincial committee")
    CITY = "city", _("city committee")
    WORKING_COMMITTEE = "working_committee", _("working committee")
    COUNTY = "county", _("county committee")
    GRASSROOTS = "grassroots", _("grassroots committee")
    GENERAL_BRANCH = "general_branch", _("general branch")
    BRANCH = "branch", _("branch")
    CLASS_BRANCH = "class_branch", _("student class branch")


class Sector(models.TextChoices):
    SCHOOL = "school", _("school")
    GOVERNMENT = "government", _("government agency")
    PUBLIC_INSTITUTION = "public_institution", _("public institution")
    ENTERPRISE = "enterprise", _("enterprise")
    RURAL = "rural", _("rural")
    COMMUNITY = "community", _("community")
    SOCIAL_ORGANIZATION = "social_organization", _("social organisation")
    OTHER = "other", _("other")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("public")
    PRIVATE = "private", _("private")


class NoGraduationReason(models.TextChoices):
    TEACHERS = "teachers", _("teachers' branch")
    MIXED = "mixed", _("mixed branch")


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("organisation status", "open")
    CLOSED = "closed", pgettext_lazy("organisation status", "closed")
    MERGED = "merged", pgettext_lazy("organisation status", "merged into another")


class Role(models.TextChoices):
    SECRETARY = "secretary", _("branch secretary")
    COMMITTEE = "committee", _("committee staff")
    PROVINCE = "province", _("provincial staff")
