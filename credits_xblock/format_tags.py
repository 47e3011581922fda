"""
The XBlock engine's ``{% load credits_format %}``: amounts as the plugin's pages write them
(``credits_plugin.api.format_amount``), without importing the plugin: the block also runs where
only XBlock is installed (the SDK's workbench).
"""
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def credit_amount(value):
    try:
        return number_format(Decimal(str(value)), decimal_pos=2)
    except (InvalidOperation, ValueError, TypeError):
        return value
