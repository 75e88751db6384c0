"""What plans tells the apps above it. Plans never imports monitoring or progress: it sends one of these, and
those apps do their part in receivers they connect in their AppConfig.ready() (their `receivers` module).

Both are sent with `sender=Plan`, inside the transaction of the action that sends them.
"""

from django.dispatch import Signal

# After an import wrote its tasks; with plan=, targets= (the targets this import created) and user=. A receiver
# returns the plan's targets it measures (monitoring: their IndicatorBindings), listed with the import's result.
plan_imported = Signal()

# Before a change to what decides the plan's task statuses (a task edit here; a monitoring setting); with plan=.
# Progress freezes the periods already closed, so that the change reaches only what comes next.
plan_changing = Signal()
