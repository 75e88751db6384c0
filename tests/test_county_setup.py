"""A county of its own, without the admin: `ecotarget init` and the first-run page make the region from its file
(the .xlsx template filled in, or the JSON) and the first coordinator; the page is reachable only while no region
exists, and only with the one-time token the server wrote into its var dir."""

import io
import json
import stat
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ecotarget.core.models import Action
from ecotarget.organisation import workbooks
from ecotarget.organisation.models import Membership, Region, Unit
from ecotarget.organisation.services import DATA_DIR, RegionFileError, region_load
from ecotarget.organisation.workbooks import FileIssues, read_region_file, region_workbook
from rendered_forms import errors_in, the_form

JIANGLE_JSON = DATA_DIR / "350428-jiangle.json"
PASSWORD = "绿水青山-2026"


def logs_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return client.session.get("_auth_user_id") is not None


def jiangle_spec() -> dict:
    return json.loads(JIANGLE_JSON.read_text(encoding="utf-8"))


def jiangle_xlsx(tmp_path: Path) -> Path:
    """将乐县's region file written in the .xlsx template's layout, as a county office would fill it in."""
    path = tmp_path / "将乐县行政区.xlsx"
    path.write_bytes(region_workbook(jiangle_spec()))
    return path


@pytest.fixture
def token_file(settings, tmp_path):
    settings.ECOTARGET_SETUP_TOKEN_FILE = tmp_path / "var" / "setup-token"
    return settings.ECOTARGET_SETUP_TOKEN_FILE


# --- the region file -----------------------------------------------------------------------------------------------


def test_the_xlsx_template_filled_in_reads_as_the_json_does(tmp_path):
    spec = jiangle_spec()
    read = read_region_file(jiangle_xlsx(tmp_path), "将乐县行政区.xlsx")
    assert read["region"]["code"] == "350428" and read["region"]["name"] == "将乐县"
    assert read["region"]["parent"]["name"] == "三明市"
    assert [t["name"] for t in read["townships"]] == [t["name"] for t in spec["townships"]]
    zhujian = next(d for d in read["departments"] if d["name"] == "住建局")
    assert zhujian["full_name"] == "将乐县住房和城乡建设局" and zhujian["aliases"] == ["住房和城乡建设局"]


@pytest.mark.django_db
def test_load_region_takes_the_xlsx_and_gives_the_same_units_as_the_json(tmp_path):
    from_xlsx = region_load(path=jiangle_xlsx(tmp_path)).region
    names = set(Unit.objects.filter(region=from_xlsx).values_list("name", "kind", "full_name"))
    assert region_load(path=JIANGLE_JSON).created == 0  # the same units: nothing new
    assert set(Unit.objects.filter(region=from_xlsx).values_list("name", "kind", "full_name")) == names
    assert Unit.objects.get(region=from_xlsx, name="光明镇").aliases == ["光明乡"]


def test_the_blank_template_has_the_documented_sheets_and_columns():
    book = load_workbook(io.BytesIO(region_workbook()))
    assert book.sheetnames == ["行政区", "责任单位", "填写说明"]
    assert [c.value for c in book["行政区"][1]] == ["项目", "填写内容", "说明"]
    assert [c.value for c in book["行政区"]["A"]][1:] == [
        "行政区划代码",
        "名称",
        "简称",
        "级别",
        "上级行政区划代码",
        "上级名称",
    ]
    assert [c.value for c in book["责任单位"][1]] == ["类型", "简称", "全称", "别名"]
    with pytest.raises(FileIssues, match="请填写行政区划代码"):
        read_region_file(region_workbook(), "模板.xlsx")


def test_every_problem_of_a_region_file_is_named_by_sheet_row_and_column(tmp_path):
    spec = jiangle_spec()
    spec["region"]["code"] = "3504"
    book = load_workbook(io.BytesIO(region_workbook(spec)))
    units = book["责任单位"]
    units.append(["街乡", "新区", "", ""])  # row 36: an unknown kind
    units.append(["部门", "住建局", "", ""])  # row 37: a unit given twice
    units.append(["部门", "", "将乐县某局", ""])  # row 38: no name
    out = tmp_path / "有错.xlsx"
    book.save(out)
    with pytest.raises(FileIssues) as refused:
        read_region_file(out, "有错.xlsx")
    said = [str(i) for i in refused.value.issues]
    assert said == [
        "有错.xlsx 工作表“行政区” 第 2 行 “填写内容”列：行政区划代码须为 6 位（或 9、12 位）数字",
        "有错.xlsx 工作表“责任单位” 第 36 行 “类型”列：类型“街乡”不认识，请填 乡镇 或 部门",
        f"有错.xlsx 工作表“责任单位” 第 37 行 “简称”列：单位“住建局”与第 {2 + 13 + 8} 行重复",
        "有错.xlsx 工作表“责任单位” 第 38 行 “简称”列：请填写单位简称",
    ]


def test_a_region_file_that_is_not_a_workbook_or_too_large_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    with pytest.raises(FileIssues, match="不是 Excel 工作簿"):
        read_region_file(b"%PDF-1.4 ...", "行政区.pdf")
    with pytest.raises(FileIssues, match="不是有效的 JSON"):
        read_region_file(b"{ not json", "行政区.json")
    monkeypatch.setattr(workbooks, "MAX_ROWS", 10)
    with pytest.raises(FileIssues, match="超过 10 行"):
        read_region_file(jiangle_xlsx(tmp_path), "将乐县行政区.xlsx")
    # A package that expands far beyond a region file's size is refused by its directory, unopened.
    monkeypatch.setattr(workbooks, "SMALL_BOOK_LIMITS", workbooks.ZipLimits(max_entries=300, max_total_bytes=1000))
    with pytest.raises(FileIssues, match="解压后共"):
        read_region_file(jiangle_xlsx(tmp_path), "将乐县行政区.xlsx")


@pytest.mark.django_db
def test_a_bad_region_file_loads_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"region": {"code": "12", "name": ""}}), encoding="utf-8")
    with pytest.raises(RegionFileError, match=r"bad\.json.*行政区划代码须为 6 位"):
        region_load(path=bad)
    assert not Region.objects.exists() and not Action.objects.exists()


# --- ecotarget init ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_init_makes_the_region_and_the_first_coordinator_with_a_password_printed_once(tmp_path, capsys):
    call_command("init", str(jiangle_xlsx(tmp_path)), "--username", "lin", "--name", "林督查", "--unit", "生态环境局")
    out = capsys.readouterr().out
    password = out.split("initial password (shown once): ")[1].split()[0]
    region = Region.objects.get(code="350428")
    assert Unit.objects.filter(region=region, kind=Unit.Kind.TOWNSHIP).count() == 13
    member = Membership.objects.get(user__username="lin")
    assert member.is_coordinator and member.region == region and member.unit.name == "生态环境局"
    assert member.must_change_password  # someone else saw it: changed at first login
    assert logs_in("lin", password)
    action = Action.objects.get(verb="region.init")
    assert "林督查（lin）" in action.summary and password not in str(action.changes) + action.summary

    with pytest.raises(CommandError, match="已有行政区，不能再次初始化"):
        call_command("init", str(JIANGLE_JSON), "--username", "other", "--name", "他人")
    assert not User.objects.filter(username="other").exists()


@pytest.mark.django_db
def test_init_refuses_a_bad_file_or_a_weak_password_and_leaves_the_database_empty(tmp_path, monkeypatch):
    bad = tmp_path / "行政区.json"
    bad.write_text('{"region": {"code": "350428"}}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"行政区\.json.*请填写行政区名称"):
        call_command("init", str(bad), "--username", "lin", "--name", "林督查")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "12345678")
    with pytest.raises(CommandError, match="密码"):
        call_command("init", str(JIANGLE_JSON), "--username", "lin", "--name", "林督查")
    assert not Region.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_init_with_a_password_typed_at_the_terminal_needs_no_change(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    call_command("init", str(JIANGLE_JSON), "--username", "lin", "--name", "林督查")
    assert "initial password" not in capsys.readouterr().out
    assert not Membership.objects.get(user__username="lin").must_change_password
    assert logs_in("lin", PASSWORD)


def test_init_writes_the_blank_template(tmp_path):
    call_command("init", "--template", str(tmp_path / "行政区.xlsx"))
    assert load_workbook(tmp_path / "行政区.xlsx").sheetnames == ["行政区", "责任单位", "填写说明"]


# --- the first-run page --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_no_region_every_page_leads_to_the_set_up_page(token_file):
    client = Client()
    setup = reverse("organisation:setup")
    for url in ["/", reverse("login"), reverse("plans:list"), reverse("organisation:accounts")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == setup, url
    page = client.get(setup)
    assert page.status_code == 200 and str(token_file) in page.content.decode()
    # The token is on the server only, readable by its user alone.
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600 and len(token_file.read_text().strip()) >= 20
    assert client.get(reverse("organisation:region_template")).status_code == 200


def _setup_form(client: Client, token: str, upload: SimpleUploadedFile, **typed) -> dict:
    url = reverse("organisation:setup")
    form = the_form(client.get(url).content.decode(), url)
    assert form.needs_file and {"token", "username", "full_name", "password1", "password2"} <= set(form.filled)
    fields = {
        "token": token,
        "username": "lin",
        "full_name": "林督查",
        "unit": "生态环境局",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **typed,
    }
    return {**form.data(**fields), "region_file": upload}


@pytest.mark.django_db
def test_the_set_up_page_makes_the_county_with_the_servers_token_only(token_file, tmp_path):
    client = Client()
    client.get(reverse("organisation:setup"))  # writes the token
    token = token_file.read_text().strip()
    region_file = jiangle_xlsx(tmp_path).read_bytes()

    wrong = _setup_form(client, "guessed", SimpleUploadedFile("将乐县.xlsx", region_file))
    response = client.post(reverse("organisation:setup"), wrong)
    assert response.status_code == 200 and "安装口令不对" in " ".join(errors_in(response.content.decode()))
    assert not Region.objects.exists() and not User.objects.exists()

    right = _setup_form(client, token, SimpleUploadedFile("将乐县.xlsx", region_file))
    response = client.post(reverse("organisation:setup"), right)
    assert response.status_code == 302 and response["Location"] == reverse("organisation:accounts")
    page = client.get(response["Location"])  # logged in as the new coordinator
    assert page.status_code == 200 and "将乐县已建立（35 个单位）" in page.content.decode()
    member = Membership.objects.get(user__username="lin")
    assert member.is_coordinator and not member.must_change_password and member.unit.name == "生态环境局"
    assert not token_file.exists()  # spent

    # Once a region exists the page is gone, for everyone.
    assert client.get(reverse("organisation:setup")).status_code == 404
    assert Client().get(reverse("organisation:setup")).status_code == 404
    assert Client().get(reverse("login")).status_code == 200


@pytest.mark.django_db
def test_the_set_up_page_names_every_problem_of_the_region_file_and_makes_nothing(token_file):
    client = Client()
    client.get(reverse("organisation:setup"))
    token = token_file.read_text().strip()
    spec = jiangle_spec()
    spec["townships"].append({"name": "古镛镇"})
    spec["region"]["code"] = "35"

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile("将乐县.xlsx", region_workbook(spec))

    response = client.post(reverse("organisation:setup"), _setup_form(client, token, upload(), password2="另一个-2026"))
    assert "两次输入的密码不一致" in " ".join(errors_in(response.content.decode()))
    response = client.post(reverse("organisation:setup"), _setup_form(client, token, upload()))
    page = BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert "工作表“行政区” 第 2 行 “填写内容”列：行政区划代码须为 6 位" in page
    assert "工作表“责任单位” 第 15 行 “简称”列：单位“古镛镇”与第 2 行重复" in page
    assert not Region.objects.exists() and not User.objects.exists() and token_file.exists()


@pytest.mark.django_db
def test_a_logged_in_user_without_a_region_is_sent_to_set_up_too(token_file):
    User.objects.create_superuser("root", password="pw-root")
    client = Client()
    client.force_login(User.objects.get(username="root"))
    assert client.get(reverse("plans:list"))["Location"] == reverse("organisation:setup")


@pytest.mark.django_db
def test_an_operators_superuser_still_reaches_the_admin_before_set_up(token_file):
    User.objects.create_superuser("root", password="pw-root")
    client = Client()
    assert client.get(reverse("login") + "?next=/admin/").status_code == 200
    answer = client.post(reverse("login"), {"username": "root", "password": "pw-root", "next": "/admin/"})
    assert answer["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/")["Location"] == reverse("organisation:setup")
