"""Business actions on regions and units."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from ecotarget.core.actions import record
from ecotarget.core.errors import Refusal

from .models import Membership, Post, Region, Tenure, Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
RELEVANT_TOWNSHIPS = "有关乡(镇)"


@dataclass
class RegionLoadResult:
    region: Region
    created: int
    updated: int


class RegionFileError(Refusal):
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
    record(
        None,
        "region.load",
        region,
        f"载入{region.name}的乡镇和部门：新增 {created} 个、更新 {updated} 个单位",
        {"文件": [None, Path(path).name]},
        region=region,
    )
    return RegionLoadResult(region=region, created=created, updated=updated)


def unit_index(region: Region) -> dict[str, Unit]:
    """Every name and alias of the region's units, mapped to the unit (one query)."""
    index: dict[str, Unit] = {}
    for unit in Unit.objects.filter(region=region):
        for name in [unit.name, unit.full_name, *unit.aliases]:
            if name:
                index.setdefault(name, unit)
    return index


class TenureError(Refusal):
    pass


@dataclass
class Person:
    name: str
    user: User | None = None
    phone: str = ""
    email: str = ""


def posts_of(unit: Unit) -> list[Post]:
    """The unit's three posts, created on first use."""
    existing = {p.kind: p for p in Post.objects.filter(unit=unit)}
    missing = [Post(unit=unit, kind=kind) for kind in Post.Kind.values if kind not in existing]
    if missing:
        Post.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {p.kind: p for p in Post.objects.filter(unit=unit)}
    return [existing[kind] for kind in Post.Kind.values]


def _grant_account(post: Post, user: User) -> None:
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        Membership.objects.create(user=user, region=post.unit.region, role=Membership.Role.REPORTER, unit=post.unit)
    elif membership.role != Membership.Role.REPORTER or membership.unit_id != post.unit_id:
        raise TenureError(
            f"账号 {user} 已是{membership.get_role_display()}（{membership.unit or membership.region}），"
            "不能再接任本岗位"
        )


def _release_account(post: Post, user: User | None, *, keep: Tenure | None = None) -> None:
    """The account leaves the unit with its last post there; its reports and history stay."""
    if user is None:
        return
    still_holding = Tenure.objects.filter(
        user=user, post__unit=post.unit, post__kind__in=[Post.Kind.RESPONSIBLE, Post.Kind.CONTACT], ended_on=None
    )
    if keep is not None:
        still_holding = still_holding.exclude(pk=keep.pk)
    if not still_holding.exists():
        Membership.objects.filter(user=user, role=Membership.Role.REPORTER, unit=post.unit).delete()


@transaction.atomic
def tenure_hand_over(*, post: Post, successor: Person, on: date, by: User | None, note: str = "") -> Tenure:
    """End the post's current tenure the day before `on` and start the successor's on `on`.

    For the posts that report (责任人, 联系人) the account follows the post: the predecessor's account loses the
    unit, the successor's gains it; everything the unit reported stays with the unit, so the successor sees it.
    """
    if not successor.name.strip():
        raise TenureError("请填写接任人姓名")
    current = Tenure.objects.select_for_update().filter(post=post, ended_on=None).first()
    if current is not None:
        if on <= current.started_on:
            raise TenureError(f"交接日期须晚于现任者的任职起始日（{current.started_on:%Y-%m-%d}）")
        if successor.user is not None and current.user_id == successor.user.pk:
            raise TenureError("接任人与现任者是同一账号")
        current.ended_on = on - timedelta(days=1)
        current.ended_by = by
        current.save(update_fields=["ended_on", "ended_by"])
    tenure = Tenure.objects.create(
        post=post,
        person=successor.name.strip(),
        user=successor.user,
        phone=successor.phone,
        email=successor.email,
        started_on=on,
        note=note,
        created_by=by,
    )
    if post.carries_account:
        if current is not None:
            _release_account(post, current.user, keep=tenure if current.user_id == tenure.user_id else None)
        if successor.user is not None:
            _grant_account(post, successor.user)
    record(
        by,
        "tenure.hand_over",
        tenure,
        f"{post.unit.name}{post.get_kind_display()}交接：{tenure.person}自{on:%Y-%m-%d}起任职",
        {post.get_kind_display(): [current.person if current is not None else None, tenure.person]},
        label=f"{post.unit.name}{post.get_kind_display()}",
        region=post.unit.region_id,
        unit=post.unit_id,
    )
    return tenure
