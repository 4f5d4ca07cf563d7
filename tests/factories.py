"""Factories for the whole suite: build graphs of objects with defaults, never by hand."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model

from branches.models import Organization, OrganizationAccess, Role
from members.demo import fake_id_number
from members.models import add_months


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An organisation; pass ``parent=`` to place it, none makes (or reuses) the root."""

    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    name = factory.Sequence(lambda n: f"测试团组织{n}")
    kind = Organization.Kind.BRANCH
    sector = Organization.Sector.ENTERPRISE

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        node = model_class(**kwargs)
        if parent is None:
            return Organization.objects.add_root(instance=node)
        return Organization.objects.add_child(parent, instance=node)


def province(**kwargs):
    return OrganizationFactory(
        kind=Organization.Kind.PROVINCE, sector=Organization.Sector.GOVERNMENT, **kwargs
    )


def committee(parent, kind=Organization.Kind.CITY, **kwargs):
    kwargs.setdefault("sector", Organization.Sector.GOVERNMENT)
    return OrganizationFactory(parent=parent, kind=kind, **kwargs)


def branch(parent, **kwargs):
    return OrganizationFactory(parent=parent, kind=Organization.Kind.BRANCH, **kwargs)


def class_branch(parent, **kwargs):
    return OrganizationFactory(
        parent=parent,
        kind=Organization.Kind.CLASS_BRANCH,
        sector=Organization.Sector.SCHOOL,
        **kwargs,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(organization, role, **kwargs):
    """A staff user attached to ``organization`` with ``role``."""
    user = UserFactory(**kwargs)
    OrganizationAccess.objects.create(user=user, organization=organization, role=Role(role))
    return user


class MemberFactory(factory.django.DjangoModelFactory):
    """A valid member; give ``branch=`` (the developing organisation defaults to it)."""

    class Meta:
        model = "members.Member"

    class Params:
        serial = factory.Sequence(lambda n: n)

    name = factory.Sequence(lambda n: f"团员{n}")
    gender = factory.LazyAttribute(lambda o: "M" if o.serial % 2 else "F")
    ethnicity = "01"
    birth_date = factory.LazyAttribute(lambda o: date(2000, 1, 1) + timedelta(days=o.serial % 2000))
    id_number = factory.LazyAttribute(
        lambda o: fake_id_number(o.birth_date, o.gender, region="350102", serial=o.serial)
    )
    education = "senior_secondary"
    identity = "student"
    join_date = factory.LazyAttribute(lambda o: add_months(o.birth_date, 17 * 12))
    development_number = factory.LazyAttribute(
        lambda o: (
            None if o.join_date.year < 2017 else int(f"{o.join_date.year}{o.serial % 10**8:08d}")
        )
    )
    developing_organization = factory.LazyAttribute(lambda o: o.branch)
    phone = "13800138000"
