"""Template helpers for approval, the to-do list and notifications."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def desk_todo(context):
    """The user's to-do items with something waiting, and their unread notifications."""
    from reports.models import Notification
    from reports.todo import todo_items

    user = context["request"].user
    return {
        "items": [item for item in todo_items(user) if item.count],
        "unread": Notification.objects.for_user(user).unread().count(),
    }
