"""Business actions on regions, units and members' accounts."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from axes.utils import reset as axes_reset
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ecotarget.core.actions import record
from ecotarget.core.errors import Refusal

from . import access
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


# --- passwords -----------------------------------------------------------------------------------------------------


class PasswordError(Refusal):
    pass


def _region_of(user: User) -> int | None:
    return Membership.objects.filter(user=user).values_list("region_id", flat=True).first()


@transaction.atomic
def password_change(*, user: User, password: str, by_link: bool = False) -> None:
    """The user sets a new password: on the password page (the old one checked by the form), or through a reset
    link (`by_link`), which the new password uses up. The password itself is never logged."""
    user.set_password(password)
    user.save(update_fields=["password"])
    if by_link:
        # Whoever holds the link may log in again: the account's wrong-password lock is lifted.
        axes_reset(username=user.get_username())
    how = "通过重置链接设置了新密码" if by_link else "修改了密码"
    record(
        user, "account.password_change", user, f"{user.get_full_name() or user.username}{how}", region=_region_of(user)
    )


@dataclass
class ResetLink:
    uid: str
    token: str


@transaction.atomic
def password_reset_by_coordinator(*, target: User, by: User) -> ResetLink:
    """The coordinator resets the password of a member of the region: the old password stops working at once and
    a one-time link (good for PASSWORD_RESET_TIMEOUT) lets the member choose a new one. The coordinator is shown
    the link once and hands it over; nobody but the member ever knows the new password."""
    actor = Membership.objects.select_related("region").filter(user=by).first()
    membership = Membership.objects.filter(user=target).first()
    if actor is None or not access.may_reset_password(actor, membership):
        raise PasswordError("只能重置本行政区其他成员的密码")
    target.set_unusable_password()
    target.save(update_fields=["password"])
    record(
        by,
        "account.password_reset",
        target,
        f"重置{target.get_full_name() or target.username}的密码（发出一次性设置链接）",
        region=actor.region_id,
    )
    # The token hashes the (now unusable) password: setting a new one spends it.
    return ResetLink(
        uid=urlsafe_base64_encode(force_bytes(target.pk)), token=default_token_generator.make_token(target)
    )
