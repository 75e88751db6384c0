"""Reference data: 将乐县 with its 13 townships and departments, loaded idempotently."""

from ecotarget.organisation.models import Region, Unit
from ecotarget.organisation.services import DATA_DIR, region_load, unit_index


def test_jiangle_has_13_townships_and_the_departments_the_plan_names(jiangle):
    townships = Unit.objects.filter(region=jiangle, kind=Unit.Kind.TOWNSHIP)
    assert townships.count() == 13
    assert jiangle.parent.name == "三明市"
    assert Unit.objects.filter(region=jiangle, kind=Unit.Kind.DEPARTMENT, name="生态环境局").exists()


def test_loading_the_region_again_creates_nothing_new(jiangle):
    before = Unit.objects.count()
    result = region_load(path=DATA_DIR / "350428-jiangle.json")
    assert result.created == 0 and Unit.objects.count() == before and Region.objects.count() == 2


def test_old_and_full_names_find_the_same_unit(jiangle):
    index = unit_index(jiangle)
    assert index["光明乡"] == index["光明镇"]
    assert index["将乐生态环境局"] == index["生态环境局"] == index["三明市将乐生态环境局"]
