"""Sample documents shipped with ecotarget (the 将乐县 2022 breakdown plan, 将政办〔2022〕13号)."""

import re
from datetime import date
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
JIANGLE_2022_PLAN = SAMPLES_DIR / "jiangle-2022-eco-target-plan.txt"
# The day the demo's story has reached: reports and monitoring data run up to it (`make run` serves as of it).
DEMO_TODAY = date(2022, 7, 8)

_TASK_LINE = re.compile(r"^(\d+)([.．、])")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[)）]")


def scaled_plan_text(text: str, times: int) -> str:
    """The plan with every run of tasks repeated `times` times and renumbered: a bigger plan, same shape.

    Used by the benchmarks and by the tests that check pages stay at a fixed number of queries as plans grow.
    """
    out: list[str] = []
    run: list[list[str]] = []
    number = 0

    def flush() -> None:
        nonlocal number
        for _ in range(times):
            for block in run:
                number += 1
                out.append(_TASK_LINE.sub(rf"{number}\g<2>", block[0], count=1))
                out.extend(block[1:])
        run.clear()

    for line in text.splitlines():
        if _TASK_LINE.match(line):
            run.append([line])
        elif _HEADING.match(line) or not run or line.startswith("请各责任部门") or line.startswith("扫一扫"):
            flush()
            out.append(line)
        else:
            run[-1].append(line)
    flush()
    return "\n".join(out) + "\n"
