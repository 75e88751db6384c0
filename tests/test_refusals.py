"""Every refusal a service raises is a `Refusal` carrying the message the user sees, so views catch one type and
anything else is a fault. The test walks the service modules and their error classes."""

import importlib
import inspect

import pytest

from ecotarget.core.errors import Refusal
from ecotarget.plans.services import TaskEdit, task_update

SERVICE_MODULES = [
    "ecotarget.plans.services",
    "ecotarget.monitoring.services",
    "ecotarget.monitoring.uploads",
    "ecotarget.progress.errors",
    "ecotarget.organisation.services",
    "ecotarget.reports.services",
]


def test_every_error_class_of_the_services_is_a_refusal():
    errors = [
        (name, cls)
        for module in SERVICE_MODULES
        for name, cls in inspect.getmembers(importlib.import_module(module), inspect.isclass)
        # a private exception (plans' _RollBack ends a dry run) is control flow, never shown to anyone
        if issubclass(cls, Exception) and cls.__module__ == module and not name.startswith("_")
    ]
    assert len(errors) >= 10
    assert [name for name, cls in errors if not issubclass(cls, Refusal)] == []


def test_a_task_edit_that_would_leave_no_lead_unit_is_refused_in_words(plan, personas):
    task = plan.tasks.get(number=12)
    edit = TaskEdit.of(task)
    edit.units = [(unit, "co") for unit, _ in edit.units]
    with pytest.raises(Refusal, match="至少要有一个牵头单位"):
        task_update(task=task, user=personas.coordinator, edit=edit)
