"""``{{ first|span_text:last }}``: a development number or a span, written as every table writes
it (:func:`members.models.format_span`)."""

from django import template

from members.models import format_span
from members.validators import format_development_number

register = template.Library()


@register.filter
def span_text(first, last):
    return format_span(first, last)


@register.filter
def number_text(number):
    """``{{ number|number_text }}``: one development number as its 12-digit text."""
    return format_development_number(number)
