"""``{{ first|span_text:last }}``: a development number or a span, written as every table writes
it (:func:`members.models.format_span`)."""

from django import template

from members.models import format_span

register = template.Library()


@register.filter
def span_text(first, last):
    return format_span(first, last)
