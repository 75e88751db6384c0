"""The access policy for templates: `{% load access %}{% if membership|may_edit_task:task %}`. A visitor with no
membership (logged out, or no role yet) may do none of it."""

from django import template

from ecotarget.organisation import access
from ecotarget.organisation.models import Membership

register = template.Library()


@register.filter
def may_import_plan(membership: Membership | None) -> bool:
    return membership is not None and access.may_import_plan(membership)


@register.filter
def may_edit_task(membership: Membership | None, task: access.InPlan) -> bool:
    return membership is not None and access.may_edit_task(membership, task)


@register.filter
def may_import_data(membership: Membership | None) -> bool:
    return membership is not None and access.may_import_data(membership)


@register.filter
def may_configure_monitoring(membership: Membership | None, plan: access.InRegion) -> bool:
    return membership is not None and access.may_configure_monitoring(membership, plan)


@register.filter
def may_see_dashboard(membership: Membership | None) -> bool:
    return membership is not None and access.may_see_dashboard(membership)


@register.filter
def may_write_reports(membership: Membership | None) -> bool:
    return membership is not None and access.may_write_reports(membership)


@register.filter
def may_manage_accounts(membership: Membership | None) -> bool:
    return membership is not None and access.may_manage_accounts(membership)
