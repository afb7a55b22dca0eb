"""Django's `date` filter with French's "1er" (`portal.dates`): loaded as a builtin
(settings `TEMPLATES`), so every `{{ value|date:"j F Y" }}` of the portal and of the admin
says "1er avril"."""

from django import template
from django.template.defaultfilters import date as django_date

from portal.dates import first_of_month

register = template.Library()


@register.filter("date", expects_localtime=True, is_safe=False)
def date(value, arg=None):
    return first_of_month(django_date(value, arg))
