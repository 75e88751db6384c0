"""Measures computed once per change of the data they come from, kept in the database for every server process.

A reading's costly part — the county's air year (every hour of the year through HJ 663's daily and annual rules)
and the water sections' classes month by month — depends only on the region's monitoring data and the day it is
read for, not on the target it is compared with. `readings` therefore keeps each computed `Measure` here under a
key naming what it was computed from (region, year, day, indicator, scope, edition) and the region's data
version; the comparison with the target, its baseline and the plan's risk margin are applied on every read, so a
change to a binding, a target or the set-up shows at once without touching this.

The data version (`DataVersion`) is raised in the transaction of every change to what a measure is computed
from — an import batch, a deducted day, a station (see `receivers`, connected in MonitoringConfig.ready()) — and
the region's kept measures are emptied with it. It lives in the database, not in a process: several server
processes, the background worker and several machines all see the same version, so none serves a figure from
before a change. A page reads the version before the data, so a computation that races with a change is kept
under the version before it, which nobody asks for after the change is committed.

The keys also name the code: a new release computes anew rather than reading what the previous one computed.
"""

import hashlib
import logging
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.db.models import F

from ecotarget import standards
from ecotarget.core import clock

from .models import ComputedMeasure, DataVersion

log = logging.getLogger(__name__)

# How long keeping results may wait for a lock before it gives up (milliseconds).
KEEP_WAIT_MS = 200

# What `Recalled.get` answers for a key neither kept nor computed yet (None is a result: no data).
NOT_KEPT = object()


@cache
def code_version() -> str:
    """A fingerprint of the code that computes a measure: this app's computations and the standards."""
    here = Path(__file__).parent
    files = [here / "measures.py", here / "readings.py", here / "indicators.py"]
    files += sorted(Path(standards.__file__).parent.glob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def key_of(*parts: object) -> str:
    return ":".join([code_version(), *(str(p) for p in parts)])


def data_version(region_id: int) -> int:
    """The region's data version (one query); 0 before its data first changed."""
    number = DataVersion.objects.filter(region_id=region_id).values_list("number", flat=True).first()
    return number or 0


def data_changed(region_id: int) -> None:
    """The region's monitoring data changed: raise its version. Called inside the transaction of the change, so
    the new version is seen with the new data and not before. What was computed from the old data is left for
    `keep` to write over or drop: deleting it here would hold its rows for as long as the change's transaction
    (a long import), and a page keeping a result meanwhile would wait for it."""
    DataVersion.objects.bulk_create([DataVersion(region_id=region_id)], ignore_conflicts=True)
    # An UPDATE, not a read and a write: two changes at once both count (the row is locked until commit).
    DataVersion.objects.filter(region_id=region_id).update(number=F("number") + 1)


@contextmanager
def _waiting_briefly() -> Iterator[None]:
    """A transaction that gives up after a moment when another holds what it writes (an import's transaction, a
    page keeping the same results): saving results is worth no one's waiting, the page has its figures. Inside a
    transaction already (a period closing), a savepoint with the transaction's own waits."""
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
    elif connection.vendor == "sqlite":
        # SQLite waits for the database's one write lock (`timeout` in settings) at BEGIN IMMEDIATE.
        waits = int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)
        _execute(f"PRAGMA busy_timeout = {KEEP_WAIT_MS}")
        try:
            with transaction.atomic():
                yield
        finally:
            _execute(f"PRAGMA busy_timeout = {waits}")
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _execute(f"SET LOCAL lock_timeout = {KEEP_WAIT_MS}")  # until this transaction ends
            yield


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def recall(versions: dict[int, int], keys: dict[str, int]) -> dict[str, object]:
    """The kept results of `keys` (key → region id) computed under the regions' current `versions` (one query)."""
    if not keys:
        return {}
    found: dict[str, object] = {}
    # Pickled results are the app's own, written by `keep` only (as Django's database cache keeps its values).
    rows = ComputedMeasure.objects.filter(key__in=list(keys)).values_list("key", "region_id", "version", "value")
    for key, region_id, version, value in rows:
        if version != versions.get(region_id):
            continue
        try:
            found[key] = pickle.loads(value)
        except Exception:  # unreadable (e.g. a class changed shape): computed again
            log.warning("kept measure %s unreadable: computed again", key)
    return found


def keep(versions: dict[int, int], computed: dict[str, tuple[int, object]]) -> None:
    """Keep results (key → (region id, value)) under the regions' `versions` (one query). A failure to write (the
    database busy for too long) only loses the saving: the page has its figures, the next read computes again."""
    if not computed:
        return
    now = clock.now()
    rows = [
        ComputedMeasure(
            region_id=region_id,
            key=key,
            version=versions[region_id],
            value=pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
            computed_at=now,
        )
        for key, (region_id, value) in computed.items()
    ]
    try:
        with _waiting_briefly():
            ComputedMeasure.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["key"], update_fields=["version", "value", "computed_at"]
            )
            # What was computed from the regions' older data is of no use to anyone any more.
            for region_id, version in versions.items():
                ComputedMeasure.objects.filter(region_id=region_id, version__lt=version).delete()
    except DatabaseError:
        log.warning("computed measures not kept (database busy): computed again on the next read", exc_info=True)


class Recalled:
    """What one page has read from the store and computed, written back at once when it is done (`flush`)."""

    def __init__(self) -> None:
        self.versions: dict[int, int] = {}
        self.found: dict[str, object] = {}
        self.computed: dict[str, tuple[int, object]] = {}

    def version(self, region_id: int) -> int:
        if region_id not in self.versions:
            self.versions[region_id] = data_version(region_id)
        return self.versions[region_id]

    def load(self, keys: dict[str, int]) -> None:
        """Read the kept results of these keys (key → region id) at once; the regions' versions first."""
        for region_id in set(keys.values()):
            self.version(region_id)
        wanted = {k: r for k, r in keys.items() if k not in self.found}
        self.found |= recall(self.versions, wanted)

    def get(self, key: str) -> object:
        return self.found.get(key, NOT_KEPT)

    def put(self, key: str, region_id: int, value: object) -> None:
        self.version(region_id)
        self.found[key] = value
        self.computed[key] = (region_id, value)

    def flush(self) -> None:
        keep(self.versions, self.computed)
        self.computed = {}
