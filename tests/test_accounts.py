"""Accounts without the admin: the coordinator adds the county's people with their role, one by one or from an
.xlsx 通讯录 (previewed, every error by row and column, imported all or nothing); initial passwords are shown once
(or a set-password link is mailed where mail is set) and must be changed at first login; accounts are stopped and
restarted; a unit's post hands over to a new account made on the spot, and a tenure already held carries on."""

from datetime import date
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ecotarget.core.models import Action
from ecotarget.organisation.models import Membership, Post, Tenure, Unit
from ecotarget.organisation.services import (
    AccountError,
    Person,
    account_create,
    account_deactivate,
    accounts_import,
    posts_of,
    tenure_hand_over,
)
from ecotarget.organisation.workbooks import DirectoryRow, directory_template, directory_workbook, read_directory
from rendered_forms import errors_in, forms_in, the_form

ACCOUNTS = "/organisation/accounts/"
NEW_PASSWORD = "碧水蓝天-2022"

# 将乐县's 通讯录 as a county office writes it: 单位, 姓名, 职务, 手机, 邮箱, 账号.
DIRECTORY = [
    ["住建局", "李联络", "联系人", "13800000001", "li@example.cn", "lilianluo"],
    ["县住建局", "周责任", "责任人", "13800000002", "", ""],  # an alias; the phone number becomes the account
    ["古镛镇", "吴填报", "填报员", "13800000003", "", "wutianbao"],
    ["水利局", "郑分管", "分管领导", "13800000004", "", "zhengfenguan"],
    ["", "冯县长", "县领导", "13800000005", "", "fengxianzhang"],
    ["生态环境局", "陈督查", "督查", "13800000006", "", "chenducha"],
]


def logs_in(username: str, password: str) -> Client | None:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return client if client.session.get("_auth_user_id") is not None else None


def upload(client: Client, rows: list[list[str]], name: str = "将乐县通讯录.xlsx"):
    """The 通讯录 sent through the accounts page's upload form, as the page renders it."""
    form = the_form(client.get(ACCOUNTS).content.decode(), ACCOUNTS, reverse("organisation:accounts_upload"))
    assert form.needs_file
    return client.post(form.url, {**form.data(), "file": SimpleUploadedFile(name, directory_workbook(rows))})


def confirm(client: Client, preview) -> BeautifulSoup:
    url = reverse("organisation:accounts_import_confirm")
    form = the_form(preview.content.decode(), ACCOUNTS, url)
    response = client.post(form.url, form.data())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def passwords_on(page: BeautifulSoup) -> dict[str, str]:
    return {code["data-username"]: code.get_text() for code in page.select("code.initial-password")}


def unit(name: str) -> Unit:
    return Unit.objects.get(region__code="350428", name=name)


def post(unit_name: str, kind: str) -> Post:
    return next(p for p in posts_of(unit(unit_name)) if p.kind == kind)


# --- the 通讯录 ----------------------------------------------------------------------------------------------------


def test_the_coordinator_imports_a_directory_previewed_then_all_at_once(personas, client_for):
    # 住建局's 联系人 is already recorded by name (no account): the new account carries that tenure on. 水利局's
    # 分管领导 is held by someone else: it is handed over today.
    held = tenure_hand_over(
        post=post("住建局", Post.Kind.CONTACT), successor=Person(name="李联络"), on=date(2022, 1, 1), by=None
    )
    tenure_hand_over(
        post=post("水利局", Post.Kind.LEADER), successor=Person(name="钱前任"), on=date(2022, 1, 1), by=None
    )
    lin = client_for(personas.coordinator)
    preview = upload(lin, DIRECTORY)
    page = BeautifulSoup(preview.content, "html.parser")
    effects = [
        row.find_all("td")[-1].get_text(" ", strip=True) for row in page.select("table.directory-preview tbody tr")
    ]
    assert effects[0] == "新建账号 lilianluo（填报员 · 住建局），接续住建局联系人李联络的现任任职"
    assert effects[1] == "新建账号 13800000002（填报员 · 住建局），登记为住建局责任人"
    assert effects[3].endswith("起接任水利局分管领导（原任 钱前任）")
    assert effects[4] == "新建账号 fengxianzhang（领导）"
    assert not User.objects.filter(username="lilianluo").exists()  # nothing written by the preview

    created = confirm(lin, preview)
    passwords = passwords_on(created)
    assert set(passwords) == {"lilianluo", "13800000002", "wutianbao", "zhengfenguan", "fengxianzhang", "chenducha"}
    li = Membership.objects.get(user__username="lilianluo")
    assert (li.role, li.unit.name, li.must_change_password, li.user.first_name) == (
        "reporter",
        "住建局",
        True,
        "李联络",
    )
    assert Tenure.objects.get(pk=held.pk).user == li.user  # the same tenure, now with an account
    assert Membership.objects.get(user__username="fengxianzhang").is_leader
    assert Membership.objects.get(user__username="chenducha").is_coordinator
    zheng = Membership.objects.get(user__username="zhengfenguan")
    assert zheng.is_leader and zheng.unit is None  # a leader sees the region; its unit is its post's
    assert Tenure.objects.get(post=post("水利局", Post.Kind.LEADER), ended_on=None).user == zheng.user
    assert Action.objects.filter(verb="account.create").count() == 6
    assert Action.objects.get(verb="accounts.import").summary == "从通讯录 将乐县通讯录.xlsx 新建 6 个账号"
    assert not any(p in str(a.changes) + a.summary for a in Action.objects.all() for p in passwords.values())

    # Shown once: the accounts page never shows them again, and the same file again changes nothing.
    assert not passwords_on(BeautifulSoup(lin.get(ACCOUNTS).content, "html.parser"))
    again = confirm(lin, upload(lin, DIRECTORY))
    assert not passwords_on(again) and "6 个已存在未变" in again.get_text()
    assert User.objects.filter(username__in=passwords).count() == 6


def test_a_new_reporter_must_change_the_initial_password_before_anything_else(personas, client_for):
    lin = client_for(personas.coordinator)
    passwords = passwords_on(confirm(lin, upload(lin, DIRECTORY[:1])))
    li = logs_in("lilianluo", passwords["lilianluo"])
    assert li is not None
    change = reverse("organisation:password_change")
    for url in ["/", reverse("plans:list"), reverse("organisation:people", args=[unit("住建局").pk])]:
        response = li.get(url)
        assert response.status_code == 302 and response["Location"] == change, url
    page = li.get(change).content.decode()
    assert "这是管理员为您设置的初始密码" in page
    form = the_form(page, change)
    response = li.post(
        change, form.data(old_password=passwords["lilianluo"], new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD)
    )
    assert response.status_code == 302
    assert li.get(reverse("plans:list")).status_code == 200
    assert not Membership.objects.get(user__username="lilianluo").must_change_password
    assert logs_in("lilianluo", NEW_PASSWORD) and not logs_in("lilianluo", passwords["lilianluo"])
    # Logging out stays possible while the password is still the initial one.
    other = logs_in("lilianluo", NEW_PASSWORD)
    assert other is not None and other.post(reverse("logout")).status_code == 302


def test_every_error_of_a_directory_is_named_by_file_row_and_column_and_nothing_is_made(personas, client_for):
    lin = client_for(personas.coordinator)
    rows = [
        ["住建局", "李联络", "联系人", "13800000001", "", "lilianluo"],
        ["规划局", "赵某", "联系人", "13800000002", "", "zhao"],  # row 3: no such unit
        ["住建局", "钱某", "科长", "13800000003", "", "qian"],  # row 4: no such duty
        ["住建局", "孙某", "填报员", "13800000004", "sun@", "sun"],  # row 5: not an address
        ["住建局", "李某", "联系人", "13800000005", "", "li2"],  # row 6: 住建局's 联系人 twice
        ["古镛镇", "周某", "填报员", "13800000006", "", "lilianluo"],  # row 7: the account twice
        ["古镛镇", "吴某", "填报员", "13800000007", "", "wang"],  # row 8: 王填报's account
        ["", "郑某", "联系人", "", "", ""],  # row 9: a 联系人 of no unit, no account
    ]
    preview = upload(lin, rows, "有错的通讯录.xlsx")
    page = BeautifulSoup(preview.content, "html.parser")
    listed = [li.get_text() for li in page.select("[role=alert] li")]
    assert listed == [
        "有错的通讯录.xlsx 第 3 行 “单位”列：本县没有单位“规划局”（请用行政区文件里的简称、全称或别名）",
        "有错的通讯录.xlsx 第 4 行 “职务”列：职务“科长”不认识：请填 责任人、联系人、填报员、分管领导、领导、管理员",
        "有错的通讯录.xlsx 第 5 行 “邮箱”列：“sun@”不是电子邮箱地址",
        "有错的通讯录.xlsx 第 6 行 “职务”列：住建局的联系人与第 2 行重复：一个岗位只有一位现任",
        "有错的通讯录.xlsx 第 7 行 “账号”列：账号“lilianluo”与第 2 行重复",
        "有错的通讯录.xlsx 第 8 行 “账号”列：账号“wang”已被王填报使用，请换一个",
        "有错的通讯录.xlsx 第 9 行 “单位”列：联系人须填写所在单位",
        "有错的通讯录.xlsx 第 9 行 “账号”列：请填写账号（不填则用手机号，但手机也是空的）",
    ]
    assert not page.select("form[action$='confirm/']")  # no way to import a part of it
    assert not User.objects.filter(username="lilianluo").exists()

    # The service checks again as it imports: all or nothing.
    before = (User.objects.count(), Action.objects.count())
    parsed = read_directory(directory_workbook(rows), "有错的通讯录.xlsx")
    with pytest.raises(AccountError) as refused:
        accounts_import(
            region=personas.coordinator.membership.region, by=personas.coordinator, rows=parsed, file_name="x"
        )
    assert len(refused.value.issues) == 8
    assert (User.objects.count(), Action.objects.count()) == before


def test_a_directory_that_is_not_a_workbook_or_has_no_header_is_refused_in_place(personas, client_for):
    lin = client_for(personas.coordinator)
    form = the_form(lin.get(ACCOUNTS).content.decode(), ACCOUNTS, reverse("organisation:accounts_upload"))
    response = lin.post(form.url, {**form.data(), "file": SimpleUploadedFile("通讯录.csv", "单位,姓名\n".encode())})
    assert "通讯录.csv：不是 Excel 工作簿" in " ".join(errors_in(response.content.decode()))
    book = Workbook()
    book.active.append(["单位", "姓名", "电话"])  # no 职务 column
    book.active.append(["住建局", "李联络", "13800000001"])
    headless = BytesIO()
    book.save(headless)
    response = lin.post(form.url, {**form.data(), "file": SimpleUploadedFile("表头.xlsx", headless.getvalue())})
    assert "表头.xlsx 工作表“Sheet”：找不到表头：须有“单位、姓名、职务”列" in errors_in(response.content.decode())
    no_header = directory_workbook([])
    response = lin.post(form.url, {**form.data(), "file": SimpleUploadedFile("空.xlsx", no_header)})
    assert "空.xlsx 工作表“通讯录”：通讯录里没有人员" in " ".join(errors_in(response.content.decode()))


def test_the_directory_template_is_what_the_reader_reads(personas, client_for):
    response = client_for(personas.coordinator).get(reverse("organisation:directory_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert [c.value for c in book["通讯录"][1]] == ["单位", "姓名", "职务", "手机", "邮箱", "账号"]
    assert response.content == directory_template() or book.sheetnames == ["通讯录", "填写说明"]


# --- one by one, on the accounts page and on a unit's people page --------------------------------------------------


def test_the_coordinator_adds_one_person_with_the_form_as_rendered(personas, client_for):
    lin = client_for(personas.coordinator)
    url = reverse("organisation:account_add")
    form = the_form(lin.get(ACCOUNTS).content.decode(), ACCOUNTS, url)
    zhujian = str(unit("住建局").pk)
    typed = {"unit": zhujian, "name": "李联络", "duty": "联系人", "phone": "13800000001", "username": "lilianluo"}
    response = lin.post(url, form.data(**typed))
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200 and list(passwords_on(page)) == ["lilianluo"]
    assert Tenure.objects.get(post=post("住建局", Post.Kind.CONTACT), ended_on=None).person == "李联络"

    # Errors go next to their field; nothing is made.
    response = lin.post(url, form.data(**{**typed, "username": "wang", "unit": "0"}))
    errors = errors_in(response.content.decode())
    assert "联系人须填写所在单位" in errors and "账号“wang”已被王填报使用，请换一个" in errors
    assert User.objects.filter(first_name="李联络").count() == 1


def test_a_unit_post_hands_over_to_a_new_account_made_on_the_people_page(personas, client_for):
    lin = client_for(personas.coordinator)
    zhujian = unit("住建局")
    url = reverse("organisation:people", args=[zhujian.pk])
    tenure_hand_over(
        post=post("住建局", Post.Kind.CONTACT),
        successor=Person(name="王填报", user=personas.zhujian),
        on=date(2022, 1, 1),
        by=None,
    )
    form = next(f for f in forms_in(lin.get(url).content.decode(), url) if ("post", "contact") in f.controls)
    typed = {"name": "李接任", "username": "lijieren", "on": "2022-07-01"}
    response = lin.post(url, form.data(**typed))
    assert "没有这个账号（勾选“新建此账号”可同时建立）" in errors_in(response.content.decode())
    response = lin.post(url, form.data(**typed, create_account="on"))
    page = BeautifulSoup(response.content, "html.parser")
    assert list(passwords_on(page)) == ["lijieren"]
    current = Tenure.objects.get(post__unit=zhujian, post__kind="contact", ended_on=None)
    assert (current.person, current.user.username, current.started_on) == ("李接任", "lijieren", date(2022, 7, 1))
    assert Tenure.objects.get(post__unit=zhujian, post__kind="contact", person="王填报").ended_on == date(2022, 6, 30)
    assert Membership.objects.get(user__username="lijieren").unit == zhujian
    assert not Membership.objects.filter(user=personas.zhujian).exists()  # the predecessor's account left the unit


def test_where_mail_is_set_a_new_account_gets_a_set_password_link_instead(personas, client_for, settings):
    settings.ECOTARGET_PASSWORD_RESET_BY_MAIL = True
    lin = client_for(personas.coordinator)
    page = confirm(lin, upload(lin, DIRECTORY[:2]))
    assert list(passwords_on(page)) == ["13800000002"]  # no address: an initial password
    assert "已向 li@example.cn 发送设置密码链接" in page.get_text()
    (message,) = mail.outbox
    assert message.to == ["li@example.cn"] and "lilianluo" in message.body
    link = next(line for line in message.body.splitlines() if "/password/set/" in line).strip()
    li = Client()
    form_page = li.get(link, follow=True)
    form_url = form_page.redirect_chain[-1][0]
    form = the_form(form_page.content.decode(), form_url)
    li.post(form_url, form.data(new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD))
    assert logs_in("lilianluo", NEW_PASSWORD)
    assert not Membership.objects.get(user__username="lilianluo").must_change_password


# --- stopping an account -------------------------------------------------------------------------------------------


def test_the_coordinator_stops_and_restarts_an_account(personas, client_for):
    lin = client_for(personas.coordinator)
    wang = logs_in("wang", "pw-wang")
    assert wang is not None
    member = Membership.objects.get(user=personas.zhujian)
    url = reverse("organisation:account_active")
    page = lin.get(ACCOUNTS).content.decode()
    stop = next(f for f in forms_in(page, ACCOUNTS) if f.path == url and ("member", str(member.pk)) in f.controls)
    assert lin.post(url, stop.data()).status_code == 302
    assert not logs_in("wang", "pw-wang")
    assert wang.get(reverse("plans:list")).status_code == 302  # its open session ends too
    assert "已停用" in lin.get(ACCOUNTS).content.decode()
    action = Action.objects.get(verb="account.deactivate")
    assert action.actor == personas.coordinator and action.object_id == personas.zhujian.pk

    page = lin.get(ACCOUNTS).content.decode()
    restart = next(f for f in forms_in(page, ACCOUNTS) if f.path == url and ("member", str(member.pk)) in f.controls)
    assert ("active", "1") in restart.controls
    assert lin.post(url, restart.data()).status_code == 302
    assert logs_in("wang", "pw-wang")


# --- who may ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["zhujian", "leader", "nobody"])
def test_only_a_coordinator_manages_accounts(personas, client_for, persona):
    user = getattr(personas, persona)
    client = client_for(user)
    member = Membership.objects.get(user=personas.zhujian)
    for url in [ACCOUNTS, reverse("organisation:directory_template")]:
        assert client.get(url).status_code == 403, url
    row = {"unit": str(unit("住建局").pk), "name": "李联络", "duty": "联系人", "username": "lilianluo"}
    assert client.post(reverse("organisation:account_add"), row).status_code == 403
    file = SimpleUploadedFile("x.xlsx", directory_workbook(DIRECTORY))
    assert client.post(reverse("organisation:accounts_upload"), {"file": file}).status_code == 403
    assert client.post(reverse("organisation:accounts_import_confirm"), {"token": "x"}).status_code == 403
    assert client.post(reverse("organisation:account_active"), {"member": member.pk, "active": "0"}).status_code == 403
    assert User.objects.get(pk=personas.zhujian.pk).is_active
    assert not User.objects.filter(username="lilianluo").exists()
    _services_refuse(personas, user)


def _services_refuse(personas, user) -> None:
    region = personas.coordinator.membership.region
    member = Membership.objects.get(user=personas.zhujian)
    entry = DirectoryRow(row=0, unit="住建局", name="李联络", duty="联系人", username="lilianluo")
    with pytest.raises(AccountError, match="只有本县管理员"):
        account_create(region=region, by=user, entry=entry)
    with pytest.raises(AccountError, match="只有本县管理员"):
        accounts_import(region=region, by=user, rows=[entry], file_name="x.xlsx")
    with pytest.raises(AccountError, match="只能停用或启用本县其他成员"):
        account_deactivate(target=member, by=user)
    assert not User.objects.filter(username="lilianluo").exists()


def test_a_coordinator_of_another_county_manages_its_own_accounts_never_ours(personas, client_for):
    taining = client_for(personas.outsider)
    page = taining.get(ACCOUNTS).content.decode()
    assert "taining" in page and "wang" not in page and "住建局" not in page  # its county's members and units
    member = Membership.objects.get(user=personas.zhujian)
    answer = taining.post(reverse("organisation:account_active"), {"member": member.pk, "active": "0"})
    assert answer.status_code == 404  # not even found
    row = {"unit": str(unit("住建局").pk), "name": "李联络", "duty": "联系人", "username": "lilianluo"}
    response = taining.post(reverse("organisation:account_add"), row)
    assert errors_in(response.content.decode())  # not one of its units
    # A 通讯录 naming our units is checked against its own county: none of them is found.
    preview = upload(taining, DIRECTORY[:1])
    assert "本县没有单位“住建局”" in " ".join(errors_in(preview.content.decode()))
    assert User.objects.get(pk=personas.zhujian.pk).is_active
    _services_refuse(personas, personas.outsider)


def test_a_coordinator_does_not_stop_its_own_account(personas):
    me = Membership.objects.get(user=personas.coordinator)
    with pytest.raises(AccountError):
        account_deactivate(target=me, by=personas.coordinator)
    assert User.objects.get(pk=personas.coordinator.pk).is_active


# --- queries -------------------------------------------------------------------------------------------------------


def _queries(client: Client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code == 200
    return len(captured)


def _people(count: int, start: int) -> list[list[str]]:
    townships = ["古镛镇", "水南镇", "万安镇", "高唐镇", "白莲镇"]
    return [[townships[i % 5], f"人员{i}", "填报员", f"139{i:08d}", "", f"p{i}"] for i in range(start, start + count)]


def test_the_accounts_page_and_a_preview_make_as_many_queries_for_many_people_as_for_few(personas, client_for):
    lin = client_for(personas.coordinator)
    lin.get(ACCOUNTS)  # warm the session
    few = _queries(lin, "get", ACCOUNTS)
    confirm(lin, upload(lin, _people(40, 0)))
    assert _queries(lin, "get", ACCOUNTS) == few

    url = reverse("organisation:accounts_upload")
    form = the_form(lin.get(ACCOUNTS).content.decode(), ACCOUNTS, url)

    def preview(rows) -> int:
        return _queries(
            lin, "post", url, {**form.data(), "file": SimpleUploadedFile("x.xlsx", directory_workbook(rows))}
        )

    # 2 new people against 40 new ones, and 40 already there (the same file again).
    assert preview(_people(2, 100)) == preview(_people(40, 100)) == preview(_people(40, 0))


def test_an_initial_password_is_stored_cheaply_and_rehashed_at_first_login(personas, client_for, settings):
    """Generated passwords are hashed with 20,000 rounds (organisation/hashers.py), so a whole 通讯录 imports in
    seconds; the first login with one stores it again with Django's default."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "ecotarget.organisation.hashers.InitialPasswordHasher",
    ]
    lin = client_for(personas.coordinator)
    passwords = passwords_on(confirm(lin, upload(lin, DIRECTORY[:1])))
    assert User.objects.get(username="lilianluo").password.startswith("pbkdf2_sha256_initial$20000$")
    assert logs_in("lilianluo", passwords["lilianluo"])
    assert User.objects.get(username="lilianluo").password.startswith("pbkdf2_sha256$1000000$")


@pytest.mark.parametrize(("persona", "status"), [("zhujian", 403), ("leader", 403), ("guyong", 404), ("outsider", 404)])
def test_only_the_coordinator_makes_an_account_on_a_units_people_page(personas, client_for, persona, status):
    url = reverse("organisation:people", args=[unit("住建局").pk])
    data = {"post": "contact", "name": "李接任", "username": "lijieren", "create_account": "on", "on": "2022-07-01"}
    assert client_for(getattr(personas, persona)).post(url, data).status_code == status
    assert not User.objects.filter(username="lijieren").exists()
