"""`ecotarget parse FILE [--json]` and `python -m ecotarget.plandoc`: JSON, a readable table, exit 2 on errors."""

import json
import subprocess
import sys

import pytest

from ecotarget.plandoc.cli import main
from ecotarget.samples import JIANGLE_2022_PLAN


def test_json_output_is_the_documents_dict_with_chinese_kept_readable(capsys):
    assert main([str(JIANGLE_2022_PLAN), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert len(data["tasks"]) == 64
    assert data["meta"]["doc_number"] == "将政办〔2022〕13号"
    assert data["tasks"][14]["targets"][3] == {
        "metric": "PM2.5浓度",
        "op": "<=",
        "value": 15,
        "measure_unit": "微克/立方米",
        "baseline": None,
        "reduction": False,
        "text": "PM2.5、PM10浓度分别不高于15、29微克/立方米",
    }
    assert "将乐县" in out and "\\u" not in out
    assert '\n  "meta": {' in out  # indented by 2


def test_the_table_shows_number_section_units_with_roles_targets_and_deadlines(capsys):
    assert main([str(JIANGLE_2022_PLAN)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("将乐县2022年度党政领导生态环境保护目标责任书分解方案\n")
    assert "64 项任务" in out
    assert "生态环境局 牵头" in out and "自然资源局 配合" in out
    assert "PM2.5浓度≤15微克/立方米" in out
    assert "农药使用量较上年减少≥2%" in out
    assert "2022-09-30 完成千人以下水源地划定" in out


def test_a_parse_error_goes_to_stderr_with_exit_status_2(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("1.生态环境局要加强管控。\n2.住建局负责推进。\n", encoding="utf-8")
    assert main([str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == f"{bad}:1: 未找到责任单位标注 (no responsibility labels found)"


def test_help_is_in_chinese_and_english(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ecotarget parse")
    assert "读取生态环境保护目标责任分解方案" in out and "Read an ecological" in out


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "ecotarget.plandoc", str(JIANGLE_2022_PLAN), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["tasks"]) == 64
