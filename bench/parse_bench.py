"""How long parsing takes, and whether it grows linearly with the plan.

Parses the 将乐县 sample (64 tasks) and a plan 100 times larger (its tasks repeated under the same sections and
renumbered 1…6400), reporting the median of several runs in milliseconds and the time per task.

    .venv/bin/python bench/parse_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from ecotarget.plandoc import parse_text
from ecotarget.samples import JIANGLE_2022_PLAN

TASK = re.compile(r"^(\d+)\.")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")


def enlarged(text: str, times: int) -> str:
    """The sample with the tasks under each heading repeated `times` times, numbered through."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if TASK.match(line) or HEADING.match(line))
    out = lines[:start]
    # (a heading or other paragraph, the tasks under it as [number line, label line, …])
    pieces: list[tuple[str, list[list[str]]]] = []
    current: list[str] | None = None
    for line in lines[start:]:
        if TASK.match(line) and pieces:
            current = [line]
            pieces[-1][1].append(current)
        elif current is not None and line.startswith("责任单位"):
            current.append(line)
        else:
            pieces.append((line, []))
            current = None
    number = 0
    for line, tasks in pieces:
        out.append(line)
        for _ in range(times):
            for task in tasks:
                number += 1
                out.append(TASK.sub(f"{number}.", task[0], count=1))
                out.extend(task[1:])
    return "\n".join(out)


def median_ms(text: str, runs: int, clock=time.perf_counter) -> float:
    parse_text(text)  # warm caches (OpenCC tables, compiled patterns)
    timings = []
    for _ in range(runs):
        start = clock()
        parse_text(text)
        timings.append((clock() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per size; the median is reported")
    args = parser.parse_args()

    sample = JIANGLE_2022_PLAN.read_text(encoding="utf-8")
    large = enlarged(sample, 100)
    small_tasks = len(parse_text(sample).tasks)
    large_tasks = len(parse_text(large).tasks)
    small = median_ms(sample, max(args.runs * 3, 10))
    big = median_ms(large, args.runs)
    per_small = small / small_tasks
    per_big = big / large_tasks
    print(f"sample      {small_tasks:>5} tasks  {small:9.2f} ms  {per_small * 1000:7.1f} µs/task")
    print(f"100x larger {large_tasks:>5} tasks  {big:9.2f} ms  {per_big * 1000:7.1f} µs/task")
    ratio = per_big / per_small
    print(f"time ratio {big / small:.1f} for {large_tasks / small_tasks:.0f}x the tasks; per-task ratio {ratio:.2f}")
    # CPU time of this process: what the parser costs, without the waits of a machine shared with other work.
    cpu = median_ms(sample, max(args.runs * 3, 10), time.process_time)
    cpu_big = median_ms(large, args.runs, time.process_time)
    cpu_ratio = (cpu_big / large_tasks) / (cpu / small_tasks)
    print(f"CPU time: sample {cpu:.2f} ms (budget 20 ms), 100x larger {cpu_big:.0f} ms; per-task ratio {cpu_ratio:.2f}")


if __name__ == "__main__":
    main()
