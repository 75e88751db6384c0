"""Every assessment service asks the access policy itself, not only the page in front of it: the wrong member —
a unit's reporter (even on its own sheet), a leader, another unit's reporter, another county's coordinator, an
account without a region — is refused by the service and by the page, and nothing is written."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from ecotarget.assessment import services
from ecotarget.assessment.models import Assessment, ItemScore, SchemeItem
from ecotarget.core.models import Action

from .conftest import assessment, item

WRONG = ["zhujian", "guyong", "leader", "outsider", "nobody"]


def review_row(scheme) -> ItemScore:
    return ItemScore.objects.get(assessment__unit__name="住建局", item__number="17")


@pytest.mark.parametrize("persona", WRONG)
def test_only_the_regions_office_reviews_an_item_in_the_service(scheme, personas, persona):
    before = Action.objects.count()
    with pytest.raises(services.AssessmentRefused, match=r"考核办|尚未分配"):
        services.item_review(
            assessment=assessment(scheme, "住建局"),
            item=item(scheme, "17"),
            user=getattr(personas, persona),
            score=D(5),
            reason="自评满分",
        )
    assert review_row(scheme).reviewed_score == D("4.2")
    assert Action.objects.count() == before


def test_a_service_without_a_user_is_refused(scheme):
    with pytest.raises(services.AssessmentRefused, match="尚未分配"):
        services.item_review(
            assessment=assessment(scheme, "住建局"), item=item(scheme, "17"), user=None, score=D(5), reason="x"
        )


@pytest.mark.parametrize("persona", WRONG)
def test_only_the_regions_office_computes_and_edits_a_scheme_in_the_service(scheme, personas, persona):
    user = getattr(personas, persona)
    pm10 = item(scheme, "5")
    with pytest.raises(services.AssessmentRefused):
        services.assessment_compute(scheme=scheme, user=user)
    with pytest.raises(services.AssessmentRefused):
        services.scheme_item_update(item=pm10, user=user, points=D(1), kind="manual", params={})
    with pytest.raises(services.AssessmentRefused):
        services.assessment_return(assessment=assessment(scheme, "住建局"), user=user, reason="补充材料")
    assert SchemeItem.objects.get(pk=pm10.pk).points == pm10.points
    assert not Assessment.objects.filter(scheme=scheme, computed_at__isnull=False).exists()


@pytest.mark.parametrize("persona", ["coordinator", "guyong", "leader", "outsider"])
def test_only_the_units_own_reporter_scores_it_in_the_service(scheme, personas, persona):
    with pytest.raises(services.AssessmentRefused, match="本单位填报员"):
        services.self_score_save(
            assessment=assessment(scheme, "住建局"),
            item=item(scheme, "2"),
            user=getattr(personas, persona),
            score=D(5),
            note="",
        )


@pytest.mark.parametrize("persona", ["coordinator", "zhujian", "outsider"])
def test_only_the_regions_leaders_approve_in_the_service(scheme, personas, persona, clock):
    clock(date(2023, 1, 15))
    with pytest.raises(services.AssessmentRefused, match="县领导"):
        services.scheme_approve(scheme=scheme, user=getattr(personas, persona))


# persona → status of a review posted on 住建局's sheet: its own reporter and the leader may see the sheet but not
# review (403); another unit's reporter and another county may not even see it (404); no region: 403.
PAGE = {"zhujian": 403, "leader": 403, "guyong": 404, "outsider": 404, "nobody": 403}


@pytest.mark.parametrize("persona", sorted(PAGE))
def test_the_review_page_refuses_the_wrong_member(scheme, personas, client_for, persona):
    url = reverse("assessment:review", args=[assessment(scheme, "住建局").pk, item(scheme, "17").pk])
    response = client_for(getattr(personas, persona)).post(url, {"score": "5", "reason": "自评满分"})
    assert response.status_code == PAGE[persona]
    assert review_row(scheme).reviewed_score == D("4.2")
