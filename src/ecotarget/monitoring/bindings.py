"""Which plan targets are measured from monitoring data, recognised from the target's wording.

The words are declared with each indicator in the registry (`indicators`), as plans word them (分解方案 of
counties and cities); the first rule whose words all appear in the metric wins, narrower rules (more words:
国控 + 优良, 饮用水 + 千吨万人) before the general ones.
"""

from dataclasses import dataclass

from . import indicators


@dataclass(frozen=True)
class Suggestion:
    indicator: str
    scope: str

    @property
    def name(self) -> str:
        return indicators.name_of(self.indicator)


def suggest(metric: str) -> Suggestion | None:
    """The indicator that measures a target worded `metric`, or None when it is reported by hand."""
    for words, indicator, scope in indicators.wording_rules():
        if all(word in metric for word in words):
            return Suggestion(indicator=indicator, scope=scope)
    return None
