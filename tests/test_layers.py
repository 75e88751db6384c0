"""The layer check (issue 9): every import runs down the layers, dashboard and reports never import each other,
selectors never import services, and no files or apps import each other in a cycle. The checker is also run on
small made-up trees, to show that it catches each kind of problem."""

from pathlib import Path

import pytest

from ecotarget.devtools.imports import imports, problems


def test_the_project_keeps_its_layers():
    assert problems(imports()) == []


def tree(root: Path, files: dict[str, str]) -> Path:
    """An `ecotarget` package under `root` with the given modules (path → source); packages get an __init__."""
    package = root / "ecotarget"
    for name, source in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(package).parents:
            (package / folder / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    return package


CLEAN = {
    "core/clock.py": "import datetime\n",
    "plans/models.py": "from ecotarget.core import clock\n",
    "plans/selectors.py": "from .models import *\n",
    "plans/services.py": "from .selectors import *\nfrom ecotarget.plans.models import *\n",
    "progress/models.py": "from ecotarget.plans.models import *\n",
    "progress/services.py": "from ecotarget.plans.services import *\nfrom . import models\n",
    "dashboard/selectors.py": "from ecotarget.progress import models\n",
    "reports/selectors.py": "from ecotarget.plans.selectors import *\n",
}


def test_a_tree_whose_imports_run_down_has_no_problems(tmp_path):
    edges = imports(tree(tmp_path, CLEAN))
    assert ("ecotarget.plans.services", "ecotarget.plans.selectors") in {(e.source, e.target) for e in edges}
    assert problems(edges) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"plans/services.py": "def later():\n    from ecotarget.progress.services import x\n"},
            "ecotarget.plans.services:2 imports ecotarget.progress.services: runs up the layers (plans is below "
            "progress)",
        ),
        (
            {"plans/selectors.py": "from . import services\n"},
            "ecotarget.plans.selectors:1 imports ecotarget.plans.services: a selectors module imports a services "
            "module",
        ),
        (
            {"reports/selectors.py": "from ecotarget.dashboard.selectors import rows\n"},
            "ecotarget.reports.selectors:1 imports ecotarget.dashboard.selectors: reports and dashboard stand side "
            "by side and never import each other",
        ),
        (
            {"core/numbers.py": "from .clock import *\n", "core/clock.py": "def f():\n    from . import numbers\n"},
            "files import each other in a cycle: ecotarget.core.clock → ecotarget.core.numbers",
        ),
    ],
    ids=["upward", "selectors-services", "dashboard-reports", "file-cycle"],
)
def test_the_check_catches(tmp_path, change, problem):
    assert problem in problems(imports(tree(tmp_path, {**CLEAN, **change})))


def test_the_scoring_core_imports_no_django():
    """Scoring rules are tested and used without a database: the core stays pure Python (layer 0)."""
    edges = imports()
    assert not [
        e
        for e in edges
        if e.source.startswith("ecotarget.scoring")
        and not e.target.startswith(("ecotarget.scoring", "ecotarget.standards"))
    ]
    root = Path(__file__).resolve().parent.parent / "src" / "ecotarget" / "scoring"
    for path in root.rglob("*.py"):
        assert "django" not in path.read_text(encoding="utf-8"), path.name
