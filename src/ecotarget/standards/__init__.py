"""Air-quality and surface-water indicators exactly as the Chinese national standards define them.

Pure Python + NumPy (no Django).  Air: HJ 633-2012 / HJ 633-2026 (AQI), HJ 663-2013 (evaluation), GB 3095-2012 /
GB 3095-2026 (limits).  Water: GB 3838-2002 with the 环办〔2011〕22号 evaluation method.  Every air function takes
the edition it applies; see `editions`.
"""

from .aqi import AQIResult, daily_aqi, iaqi, level_of, realtime_aqi
from .editions import Edition, EditionSetting, LimitsPhase, default_setting, parse_edition, setting_for

__all__ = [
    "AQIResult",
    "Edition",
    "EditionSetting",
    "LimitsPhase",
    "daily_aqi",
    "default_setting",
    "iaqi",
    "level_of",
    "parse_edition",
    "realtime_aqi",
    "setting_for",
]
