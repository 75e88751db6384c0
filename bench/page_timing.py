"""Shared by the page benchmarks: the median time of a page and the number of SQL queries it makes."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

RUNS = 15


def median_ms(client: Client, url: str, runs: int = RUNS) -> tuple[float, int]:
    client.get(url)  # warm the session, the caches and the template loader
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(times), len(captured)
