"""Reading a published 评分标准 into a proposed rule, and proposing the plan tasks an item is about."""

from decimal import Decimal as D

import pytest

from ecotarget.scoring.rules import Kind, parse_rule
from ecotarget.scoring.wording import propose_links, propose_rule


@pytest.mark.parametrize(
    ("content", "standard", "kind", "params"),
    [
        (
            "PM2.5年均浓度",
            "未达到年度目标值的，按差距每差1微克/立方米扣0.5分，扣完为止",
            Kind.GAP,
            {"metric": "PM2.5年均浓度", "direction": "lower", "step": "1", "per_step": "0.5", "unit": "微克/立方米"},
        ),
        (
            "空气质量优良天数比例",
            "优良天数比率每差1个百分点扣0.25分",
            Kind.GAP,
            {"metric": "空气质量优良天数比例", "direction": "higher", "step": "1", "per_step": "0.25", "unit": "%"},
        ),
        (
            "国、省控断面水质",
            "考核断面每月次不达标扣5分，反弹为劣Ⅴ类每月次扣10分；年度达标的不扣分",
            Kind.EVENTS,
            {
                "categories": [{"name": "不达标", "points": "5"}, {"name": "反弹为劣Ⅴ类", "points": "10"}],
                "per": "month",
                "annual_cancels": True,
            },
        ),
        ("重大环境污染事件", "发生重大及以上突发环境事件的，实行一票否决", Kind.VETO, {}),
        ("表彰奖励", "获得国家级表彰的加2分，省级加1分，最高加3分", Kind.BONUS, {"cap": "3"}),
        ("督察问题", "被中央生态环境保护督察通报的，每次扣2分，最多扣6分", Kind.PENALTY, {"each": "2", "cap": "6"}),
        ("黑臭水体整治", "按期完成得满分，未完成不得分，逾期完成扣1分", Kind.COMPLETION, {"late": "1"}),
        ("公众满意度", "根据第三方调查结果评分", Kind.MANUAL, {}),
    ],
    ids=["gap-ug", "gap-percent", "events-monthly", "veto", "bonus", "penalty", "completion", "manual"],
)
def test_the_wording_proposes_the_rule(content, standard, kind, params):
    proposal = proposal_for(content, standard)
    assert (proposal.kind, proposal.params) == (kind, params)
    parse_rule(proposal.kind, proposal.params, points=D(0 if kind in (Kind.VETO, Kind.PENALTY, Kind.BONUS) else 5))


def proposal_for(content, standard):
    return propose_rule(content, standard, D(5))


def test_a_proposal_says_which_words_it_went_by():
    assert propose_rule("PM10", "每差1微克/立方米扣0.5分", D(5)).because == "“每差1微克/立方米扣0.5分”"


def test_links_proposed_from_shared_wording_best_first():
    tasks = [
        (1, "PM2.5年均浓度不高于15微克/立方米"),
        (2, "PM10年均浓度不高于30微克/立方米"),
        (3, "完成农村生活污水治理项目建设"),
    ]
    matches = propose_links("PM2.5年均浓度", tasks)
    assert [m.key for m in matches][:1] == [1]
    assert propose_links("农村生活污水治理", tasks)[0].key == 3
    assert propose_links("公众满意度", tasks) == []


def test_counted_events_are_named_by_what_is_counted():
    proposal = propose_rule("扬尘管控", "现场检查发现扬尘问题每起扣1分，扣完为止", D(5))
    assert proposal.params == {"categories": [{"name": "扬尘问题", "points": "1"}], "per": "occurrence"}
