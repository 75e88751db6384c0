"""The `ecotarget` command: help, `serve`, `parse --json` without a database, and `import-plan`."""

import json

import pytest
from django.core.management import CommandError, call_command

from ecotarget.cli import COMMANDS, main
from ecotarget.plans.models import Plan
from ecotarget.samples import JIANGLE_2022_PLAN
from ecotarget.server import gunicorn_command


def test_help_lists_every_friendly_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


def test_serve_is_gunicorn_with_the_settings_bind_unless_one_is_given(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--help"])
    assert exit_.value.code == 0 and "ECOTARGET_BIND" in capsys.readouterr().out
    assert gunicorn_command(None, None)[1:] == [
        *["-m", "gunicorn", "--config", "python:ecotarget.gunicorn_conf"],
        "ecotarget.wsgi:application",
    ]
    assert gunicorn_command("0.0.0.0:8105", 3)[-5:-1] == ["--bind", "0.0.0.0:8105", "--workers", "3"]


def test_parse_json_prints_the_documented_shape(capsys):
    assert main(["parse", str(JIANGLE_2022_PLAN), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"meta", "sections", "tasks"}
    assert data["meta"]["issued_on"] == "2022-02-22" and data["meta"]["year"] == 2022
    assert len(data["tasks"]) == 64 and len(data["sections"]) == 7
    task = data["tasks"][14]
    assert {"number", "section", "subsection", "text", "units", "targets", "deadlines"} <= set(task)
    assert {"name": "生态环境局", "kind": "department", "role": "lead"}.items() <= task["units"][0].items()


def test_parse_of_a_bad_file_exits_2_with_the_reason(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["parse", str(empty)]) == 2
    assert "empty.txt" in capsys.readouterr().err


def test_import_plan_twice_stores_once_and_says_nothing_changed(jiangle, capsys):
    call_command("import_plan", str(JIANGLE_2022_PLAN))
    call_command("import_plan", str(JIANGLE_2022_PLAN))
    out = capsys.readouterr().out
    assert "已新建方案，共 64 项任务" in out and "未作任何修改" in out
    assert Plan.objects.count() == 1


def test_import_plan_dry_run_stores_nothing(jiangle, capsys):
    call_command("import_plan", str(JIANGLE_2022_PLAN), "--dry-run")
    assert "试运行" in capsys.readouterr().out
    assert Plan.objects.count() == 0


def test_import_plan_names_the_file_and_line_of_a_bad_document(jiangle, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("某县2022年度目标责任书分解方案\n一、总体要求\n1.推进工作。\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.txt:\d+"):
        call_command("import_plan", str(bad))
    assert Plan.objects.count() == 0


def test_import_plan_with_an_unknown_region_code_is_refused(jiangle):
    with pytest.raises(CommandError, match="999999"):
        call_command("import_plan", str(JIANGLE_2022_PLAN), "--region", "999999")
