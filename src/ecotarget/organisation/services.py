"""Business actions on regions and units."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Region, Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
RELEVANT_TOWNSHIPS = "有关乡(镇)"


@dataclass
class RegionLoadResult:
    region: Region
    created: int
    updated: int


class RegionFileError(ValueError):
    pass


def _region_from(spec: dict, parent: Region | None) -> Region:
    region, _ = Region.objects.update_or_create(
        code=spec["code"],
        defaults={
            "name": spec["name"],
            "short_name": spec.get("short_name", spec["name"][:-1]),
            "level": spec.get("level", Region.Level.COUNTY),
            "parent": parent,
        },
    )
    return region


@transaction.atomic
def region_load(*, path: Path) -> RegionLoadResult:
    """Load a region, its townships and departments from a versioned JSON file; running it again is harmless."""
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        region_spec = spec["region"]
    except (OSError, ValueError, KeyError) as exc:
        raise RegionFileError(f"{path}: not a region file ({exc})") from exc
    parent = _region_from(region_spec["parent"], None) if region_spec.get("parent") else None
    region = _region_from(region_spec, parent)

    created = updated = 0
    rows = [(Unit.Kind.TOWNSHIP, item) for item in spec.get("townships", [])]
    rows += [(Unit.Kind.DEPARTMENT, item) for item in spec.get("departments", [])]
    rows.append((Unit.Kind.GROUP, {"name": RELEVANT_TOWNSHIPS, "aliases": ["有关乡镇"]}))
    for order, (kind, item) in enumerate(rows):
        if "name" not in item:
            raise RegionFileError(f"{path}: unit #{order + 1} has no name")
        _, was_created = Unit.objects.update_or_create(
            region=region,
            name=item["name"],
            defaults={
                "kind": kind,
                "full_name": item.get("full_name", ""),
                "aliases": item.get("aliases", []),
                "order": order,
            },
        )
        created += was_created
        updated += not was_created
    return RegionLoadResult(region=region, created=created, updated=updated)


def unit_index(region: Region) -> dict[str, Unit]:
    """Every name and alias of the region's units, mapped to the unit (one query)."""
    index: dict[str, Unit] = {}
    for unit in Unit.objects.filter(region=region):
        for name in [unit.name, unit.full_name, *unit.aliases]:
            if name:
                index.setdefault(name, unit)
    return index
