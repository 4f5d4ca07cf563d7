"""``{{ member|id_number_for:user }}`` and ``{{ member|birth_for:user }}``: see
:mod:`members.privacy`."""

from django import template

from members import privacy

register = template.Library()


@register.filter
def id_number_for(member, user):
    return privacy.id_number_for(user, member)


@register.filter
def birth_for(member, user):
    return privacy.birth_for(user, member)
