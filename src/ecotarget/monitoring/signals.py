"""What monitoring asks the apps above it (see `plans.signals` for the pattern)."""

from django.dispatch import Signal

# A reading asks for the plan's risk margin (有风险 band, a percentage of the target), part of the plan's set-up
# that progress keeps; with plan=, sender=Plan. A receiver returns the margin, or None for a plan not set up.
risk_margin_asked = Signal()
