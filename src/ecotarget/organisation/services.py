"""Business actions on regions, units and members' accounts."""

import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from axes.utils import reset as axes_reset
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ecotarget.core import clock
from ecotarget.core.actions import record
from ecotarget.core.errors import Refusal
from ecotarget.core.people import display_name

from . import access, firstrun
from .hashers import initial_password_hash
from .models import Membership, Post, Region, Tenure, Unit
from .workbooks import DirectoryRow, FileIssues, Issue, read_region_file

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
def region_load(*, path: Path, by: User | None = None, file_name: str = "") -> RegionLoadResult:
    """Load a region, its townships and departments from a region file (.json as in organisation/data/, or the
    .xlsx template); running it again is harmless. Every problem of the file is named (file, sheet, row, column)."""
    name = file_name or Path(path).name
    try:
        spec = read_region_file(Path(path), name)
    except OSError as exc:
        raise RegionFileError(f"{name}: 无法读取文件（{exc.strerror or exc}）") from exc
    except FileIssues as exc:
        raise RegionFileError(str(exc)) from exc
    return _region_load_spec(spec, name, by)


def _region_load_spec(spec: dict, file_name: str, by: User | None) -> RegionLoadResult:
    region_spec = spec["region"]
    parent = _region_from(region_spec["parent"], None) if region_spec.get("parent") else None
    region = _region_from(region_spec, parent)

    created = updated = 0
    rows = [(Unit.Kind.TOWNSHIP, item) for item in spec.get("townships", [])]
    rows += [(Unit.Kind.DEPARTMENT, item) for item in spec.get("departments", [])]
    rows.append((Unit.Kind.GROUP, {"name": RELEVANT_TOWNSHIPS, "aliases": ["有关乡镇"]}))
    for order, (kind, item) in enumerate(rows):
        if "name" not in item:
            raise RegionFileError(f"{file_name}: unit #{order + 1} has no name")
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
        by,
        "region.load",
        region,
        f"载入{region.name}的乡镇和部门：新增 {created} 个、更新 {updated} 个单位",
        {"文件": [None, file_name]},
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
    # The member chose this one: an initial password's obligation to change it is met.
    Membership.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
    if by_link:
        # Whoever holds the link may log in again: the account's wrong-password lock is lifted.
        axes_reset(username=user.get_username())
    how = "通过重置链接设置了新密码" if by_link else "修改了密码"
    record(user, "account.password_change", user, f"{display_name(user)}{how}", region=_region_of(user))


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
        f"重置{display_name(target)}的密码（发出一次性设置链接）",
        region=actor.region_id,
    )
    # The token hashes the (now unusable) password: setting a new one spends it.
    return ResetLink(
        uid=urlsafe_base64_encode(force_bytes(target.pk)), token=default_token_generator.make_token(target)
    )


# --- accounts: the people of a region, added by its coordinator ----------------------------------------------------


@dataclass(frozen=True)
class Duty:
    """What a 职务 of the 通讯录 makes of a person: a role in the region, and a post of its unit or none."""

    label: str
    role: str
    post: str | None
    needs_unit: bool


DUTIES = {
    duty.label: duty
    for duty in [
        Duty("责任人", Membership.Role.REPORTER, Post.Kind.RESPONSIBLE, True),
        Duty("联系人", Membership.Role.REPORTER, Post.Kind.CONTACT, True),
        Duty("填报员", Membership.Role.REPORTER, None, True),
        Duty("分管领导", Membership.Role.LEADER, Post.Kind.LEADER, True),
        Duty("领导", Membership.Role.LEADER, None, False),
        Duty("管理员", Membership.Role.COORDINATOR, None, False),
    ]
}
# The ways a 通讯录 writes them.
DUTY_WORDS = {
    **{label: label for label in DUTIES},
    "联络员": "联系人",
    "联系人/填报员": "联系人",
    "县领导": "领导",
    "督查": "管理员",
    "管理员/督查": "管理员",
}
DUTY_OF_POST = {Post.Kind.RESPONSIBLE: "责任人", Post.Kind.CONTACT: "联系人", Post.Kind.LEADER: "分管领导"}
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
# Letters and digits people read out without confusion (no 0/O, 1/l/I).
PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"


class AccountError(Refusal):
    """Accounts that cannot be made as asked; `issues` locates each problem (file, row, column, why)."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class PlannedAccount:
    """A person of a 通讯录 (or of the add form) checked against the region: what adding it does, or why not."""

    source: DirectoryRow
    issues: list[Issue]
    unit: Unit | None = None
    duty: Duty | None = None
    username: str = ""
    existing: bool = False  # the account already is this person's, as the row says: left as it is
    current: Tenure | None = None  # the post's present holder, if the row names a post
    on: date | None = None

    @property
    def ties_to_current(self) -> bool:
        """The post is held, under the same name, by a tenure without an account: the account joins that tenure."""
        return self.current is not None and self.current.user_id is None and self.current.person == self.source.name

    def effect(self) -> str:
        """What importing the row does, in the preview's words."""
        if self.issues or self.duty is None:
            return ""
        if self.existing:
            return "账号已存在，保持不变"
        where = f" · {self.unit.name}" if self.unit is not None else ""
        words = f"新建账号 {self.username}（{Membership.Role(self.duty.role).label}{where}）"
        if self.duty.post and self.unit is not None:
            post = f"{self.unit.name}{self.duty.label}"
            if self.current is None:
                words += f"，登记为{post}"
            elif self.ties_to_current:
                words += f"，接续{post}{self.current.person}的现任任职"
            else:
                words += f"，自{self.on:%Y-%m-%d}起接任{post}（原任 {self.current.person}）"
        return words


def _planned(
    row: DirectoryRow,
    file_name: str,
    *,
    region: Region,
    units: dict[str, Unit],
    users: dict[str, User],
    current: dict[tuple[int, str], Tenure],
    on: date,
) -> PlannedAccount:
    plan = PlannedAccount(source=row, issues=[], on=on)

    def issue(column: str, reason: str) -> None:
        plan.issues.append(Issue(file_name, reason, row=row.row if file_name else None, column=column))

    if not row.name:
        issue("姓名", "请填写姓名")
    elif len(row.name) > 50:
        issue("姓名", "姓名最多 50 字")
    word = DUTY_WORDS.get(row.duty.replace(" ", ""))
    if word is None:
        issue("职务", f"职务“{row.duty}”不认识：请填 {'、'.join(DUTIES)}" if row.duty else "请填写职务")
    else:
        plan.duty = DUTIES[word]
    if row.unit:
        plan.unit = _unit_named(row.unit, region, units)
        if plan.unit is None:
            issue("单位", f"本县没有单位“{row.unit}”（请用行政区文件里的简称、全称或别名）")
    elif plan.duty is not None and plan.duty.needs_unit:
        issue("单位", f"{plan.duty.label}须填写所在单位")
    if row.phone and not PHONE.match(row.phone):
        issue("手机", f"“{row.phone}”不是电话号码")
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            issue("邮箱", f"“{row.email}”不是电子邮箱地址")
    plan.username = row.username or row.phone.replace(" ", "")
    if not plan.username:
        issue("账号", "请填写账号（不填则用手机号，但手机也是空的）")
    else:
        try:
            UnicodeUsernameValidator()(plan.username)
            if len(plan.username) > 150:
                raise ValidationError("too long")
        except ValidationError:
            issue("账号", f"账号“{plan.username}”只能由字母、数字和 @ . + - _ 组成，最多 150 个字符")
    user = users.get(plan.username)
    if user is not None:
        membership: Membership | None = getattr(user, "membership", None)  # read with the user: no query
        duty = plan.duty
        unit_id = plan.unit.pk if plan.unit is not None and duty and duty.role != Membership.Role.LEADER else None
        plan.existing = (
            duty is not None
            and membership is not None
            and membership.region_id == region.pk
            and membership.role == duty.role
            and membership.unit_id == unit_id
            and user.first_name == row.name
        )
        if not plan.existing:
            issue("账号", f"账号“{plan.username}”已被{user.first_name or '他人'}使用，请换一个")
    if plan.duty is not None and plan.duty.post and plan.unit is not None and not plan.existing:
        plan.current = current.get((plan.unit.pk, plan.duty.post))
        if plan.current is not None and not plan.ties_to_current and plan.current.started_on >= on:
            issue(
                "职务",
                f"{plan.unit.name}{plan.duty.label}{plan.current.person}自 {plan.current.started_on:%Y-%m-%d} 起任职，"
                "今天不能再交接，请改日导入或在该单位的人员页登记",
            )
    return plan


def _unit_named(name: str, region: Region, units: dict[str, Unit]) -> Unit | None:
    """The unit a 通讯录 names: by its name, full name or alias, also written with the county's prefix
    (县住建局, 将乐县住建局, 将乐住建局)."""
    name = name.replace(" ", "")
    if name in units:
        return units[name]
    for prefix in sorted({region.name, region.short_name, "县"} - {""}, key=len, reverse=True):
        if name.startswith(prefix) and name[len(prefix) :] in units:
            return units[name[len(prefix) :]]
    return None


def directory_check(
    *, region: Region, rows: list[DirectoryRow], file_name: str = "", on: date | None = None
) -> list[PlannedAccount]:
    """Every row of a 通讯录 checked against the region and the accounts already there, with what importing it would
    do (the preview). Nothing is written. Rows that contradict each other (one account or one post twice) are
    flagged on the later row."""
    on = on or clock.today()
    units = {name: unit for name, unit in unit_index(region).items() if unit.kind != Unit.Kind.GROUP}
    usernames = {(r.username or r.phone.replace(" ", "")) for r in rows} - {""}
    users = {u.username: u for u in User.objects.filter(username__in=usernames).select_related("membership")}
    current = {
        (t.post.unit_id, t.post.kind): t
        for t in Tenure.objects.filter(post__unit__region=region, ended_on=None).select_related("post", "post__unit")
    }
    planned = []
    accounts_seen: dict[str, int] = {}
    posts_seen: dict[tuple[int, str], int] = {}
    for row in rows:
        plan = _planned(row, file_name, region=region, units=units, users=users, current=current, on=on)
        if plan.username in accounts_seen:
            plan.issues.append(
                Issue(
                    file_name,
                    f"账号“{plan.username}”与第 {accounts_seen[plan.username]} 行重复",
                    row=row.row,
                    column="账号",
                )
            )
        elif plan.username:
            accounts_seen[plan.username] = row.row
        if plan.duty is not None and plan.duty.post and plan.unit is not None:
            key = (plan.unit.pk, plan.duty.post)
            if key in posts_seen:
                plan.issues.append(
                    Issue(
                        file_name,
                        f"{plan.unit.name}的{plan.duty.label}与第 {posts_seen[key]} 行重复：一个岗位只有一位现任",
                        row=row.row,
                        column="职务",
                    )
                )
            else:
                posts_seen[key] = row.row
        planned.append(plan)
    return planned


@dataclass
class NewAccount:
    user: User
    membership: Membership
    password: str | None  # the initial password, to show once; None when a set-password link goes by mail
    link: ResetLink | None
    tenure: Tenure | None


def _initial_password() -> str:
    letters = "".join(secrets.choice(PASSWORD_LETTERS) for _ in range(12))
    return "-".join(letters[i : i + 4] for i in range(0, 12, 4))


def _require_account_manager(region: Region, by: User) -> Membership:
    actor = access.member_of(by)
    if actor is None or not access.may_manage_accounts(actor) or actor.region_id != region.pk:
        raise AccountError([Issue("", "只有本县管理员可以添加或停用账号")])
    return actor


def _account_make(
    plan: PlannedAccount, *, region: Region, by: User | None, invite_by_mail: bool, note: str
) -> NewAccount:
    row, duty = plan.source, plan.duty
    assert duty is not None and plan.on is not None
    user = User(username=plan.username, first_name=row.name, email=row.email)
    password = None if invite_by_mail and row.email else _initial_password()
    if password is None:
        user.set_unusable_password()
    else:
        user.password = initial_password_hash(password)
    user.save()
    unit = plan.unit
    membership = Membership.objects.create(
        user=user,
        region=region,
        role=duty.role,
        # A leader sees the whole region: the unit it is in charge of is its post's, not its membership's.
        unit=unit if duty.role != Membership.Role.LEADER else None,
        must_change_password=password is not None,
    )
    tenure = None
    if duty.post and unit is not None:
        post = next(p for p in posts_of(unit) if p.kind == duty.post)
        current = Tenure.objects.select_for_update().filter(post=post, ended_on=None).first()
        if current is not None and current.user_id is None and current.person == row.name:
            # The person already holds the post (recorded by name): the tenure carries on, now with an account.
            current.user = user
            current.phone = current.phone or row.phone
            current.email = current.email or row.email
            current.save(update_fields=["user", "phone", "email"])
            tenure = current
        else:
            successor = Person(name=row.name, user=user, phone=row.phone, email=row.email)
            tenure = tenure_hand_over(post=post, successor=successor, on=plan.on, by=by, note=note)
    link = None
    if password is None:
        link = ResetLink(
            uid=urlsafe_base64_encode(force_bytes(user.pk)), token=default_token_generator.make_token(user)
        )
    changes: dict[str, list] = {"账号": [None, user.username], "角色": [None, membership.get_role_display()]}
    if unit is not None:
        changes["单位"] = [None, unit.name]
    if tenure is not None:
        changes["岗位"] = [None, f"{unit}{duty.label}"]
    record(
        by,
        "account.create",
        user,
        f"新建账号 {user.username}（{row.name}，{duty.label}{'，' + unit.name if unit else ''}）"
        + ("，设置密码链接已发往邮箱" if link else "，初始密码须在首次登录时修改"),
        changes,
        label=f"{row.name}（{user.username}）",
        region=region,
        unit=unit,
    )
    return NewAccount(user=user, membership=membership, password=password, link=link, tenure=tenure)


@transaction.atomic
def account_create(
    *,
    region: Region,
    by: User,
    entry: DirectoryRow,
    on: date | None = None,
    invite_by_mail: bool = False,
    note: str = "",
) -> NewAccount:
    """The coordinator adds one person: an account with the role its 职务 gives, in its unit, tied to the unit's
    post when the 职务 is one (an existing tenure under the same name carries on; another holder hands over on `on`,
    by default today).
    The initial password is returned to be shown once, and must be changed at first login; with `invite_by_mail`
    and an address, a one-time set-password link is returned to be mailed instead."""
    _require_account_manager(region, by)
    (plan,) = directory_check(region=region, rows=[entry], on=on)
    if plan.existing:
        plan.issues.append(Issue("", f"账号“{plan.username}”已存在", column="账号"))
    if plan.issues:
        raise AccountError(plan.issues)
    return _account_make(plan, region=region, by=by, invite_by_mail=invite_by_mail, note=note)


@dataclass
class DirectoryImport:
    created: list[NewAccount]
    unchanged: int


@transaction.atomic
def accounts_import(
    *, region: Region, by: User, rows: list[DirectoryRow], file_name: str, invite_by_mail: bool = False
) -> DirectoryImport:
    """A whole 通讯录 at once, checked again as it is imported: every row is made, or none (AccountError with every
    problem by row and column). Rows whose account already is that person's are left as they are, so importing the
    same file twice changes nothing."""
    _require_account_manager(region, by)
    planned = directory_check(region=region, rows=rows, file_name=file_name)
    issues = [issue for plan in planned for issue in plan.issues]
    if issues:
        raise AccountError(issues)
    created = [
        _account_make(plan, region=region, by=by, invite_by_mail=invite_by_mail, note=f"通讯录 {file_name}")
        for plan in planned
        if not plan.existing
    ]
    unchanged = len(planned) - len(created)
    record(
        by,
        "accounts.import",
        region,
        f"从通讯录 {file_name} 新建 {len(created)} 个账号" + (f"，{unchanged} 个已存在未变" if unchanged else ""),
        {"文件": [None, file_name]},
        region=region,
    )
    return DirectoryImport(created=created, unchanged=unchanged)


def _account_set_active(*, target: Membership, by: User, active: bool) -> None:
    actor = access.member_of(by)
    if actor is None or not access.may_manage_member(actor, target):
        raise AccountError([Issue("", "只能停用或启用本县其他成员的账号")])
    user = target.user
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    who = display_name(user)
    record(
        by,
        "account.reactivate" if active else "account.deactivate",
        user,
        f"{'启用' if active else '停用'}{who}的账号" + ("" if active else "（不能再登录；其任职和报告记录保留）"),
        {"状态": ["停用", "启用"] if active else ["启用", "停用"]},
        label=f"{who}（{user.username}）",
        region=target.region_id,
        unit=target.unit_id,
    )


@transaction.atomic
def account_deactivate(*, target: Membership, by: User) -> None:
    """The coordinator stops a member's account: it can no longer log in (a session it has ends at its next
    request); what it reported and the tenures it held stay. Hand its post over on the unit's people page."""
    _account_set_active(target=target, by=by, active=False)


@transaction.atomic
def account_reactivate(*, target: Membership, by: User) -> None:
    """The coordinator lets a stopped account log in again."""
    _account_set_active(target=target, by=by, active=True)


# --- the first run: a region and its first coordinator -------------------------------------------------------------


class InitError(Refusal):
    pass


@dataclass
class InitResult:
    region: Region
    units: int
    user: User
    password: str | None  # generated: print or show it once


@transaction.atomic
def region_init(
    *,
    path: Path,
    file_name: str = "",
    username: str,
    full_name: str,
    password: str | None = None,
    unit_name: str = "",
    how: str = "命令行",
) -> InitResult:
    """A new installation's region (its townships and departments, from a region file) and its first coordinator,
    in one transaction. Refused once any region exists (then the coordinator manages accounts in the browser and
    `load-region` updates units). Without `password` one is generated, returned once, and must be changed at first
    login."""
    if not firstrun.setup_needed():
        raise InitError(
            "系统已有行政区，不能再次初始化：请由管理员登录后在“账号管理”中添加人员，用 load-region 更新单位"
        )
    name = file_name or Path(path).name
    try:
        spec = read_region_file(Path(path), name)
    except OSError as exc:
        raise InitError(f"{name}: 无法读取文件（{exc.strerror or exc}）") from exc
    except FileIssues as exc:
        raise InitError(str(exc)) from exc
    username, full_name = username.strip(), full_name.strip()
    problems = []
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        problems.append(f"账号“{username}”只能由字母、数字和 @ . + - _ 组成")
    if not full_name:
        problems.append("请填写管理员姓名")
    if password is not None:
        try:
            validate_password(password, User(username=username, first_name=full_name))
        except ValidationError as exc:
            problems += exc.messages
    if problems:
        raise InitError("；".join(problems))
    loaded = _region_load_spec(spec, name, None)
    region = loaded.region
    unit = None
    if unit_name:
        unit = unit_index(region).get(unit_name)
        if unit is None:
            raise InitError(f"{name} 里没有单位“{unit_name}”")
    generated = _initial_password() if password is None else None
    user = User.objects.create_user(username=username, password=password, first_name=full_name)
    if generated is not None:
        user.password = initial_password_hash(generated)
        user.save(update_fields=["password"])
    Membership.objects.create(
        user=user,
        region=region,
        role=Membership.Role.COORDINATOR,
        unit=unit,
        must_change_password=generated is not None,
    )
    record(
        None,
        "region.init",
        region,
        f"初始化{region.name}（{how}）：{loaded.created} 个单位，管理员 {full_name}（{username}）",
        {"文件": [None, name], "管理员": [None, username]},
        region=region,
    )
    return InitResult(region=region, units=loaded.created, user=user, password=generated)
