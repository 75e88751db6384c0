"""Sample documents shipped with ecotarget (the 将乐县 2022 breakdown plan, 将政办〔2022〕13号)."""

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
JIANGLE_2022_PLAN = SAMPLES_DIR / "jiangle-2022-eco-target-plan.txt"
