"""Whatever it is fed — a mutilated plan, random text, random bytes — the parser either returns a plan or
raises PlanParseError; never any other exception."""

import contextlib
import io

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecotarget.plandoc import PlanDocument, PlanParseError, parse_bytes, parse_text
from ecotarget.samples import JIANGLE_2022_PLAN

SAMPLE_LINES = JIANGLE_2022_PLAN.read_text(encoding="utf-8").splitlines()
# Characters that matter to the parser: separators, brackets, digits, numerals, label words' pieces.
TRICKY = st.sampled_from(
    [
        *list("、，,：:；;（）()【】[]“”。.\t 0123456789一二三四五六七八九十%年月日底前镇乡局单位责任牵头配合各有关"),
        "责任单位:",
        "牵头单位:",
        "(一)",
        "一、",
        "1.",
        "扫一扫在手机上查看当前页面",
        "\n",
        "\x00",
        "\ufeff",
    ]
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parses_or_refuses(text: str) -> None:
    try:
        result = parse_text(text, source="fuzz")
    except PlanParseError as e:
        assert str(e).startswith("fuzz")
        return
    assert isinstance(result, PlanDocument)
    result.to_dict()


@st.composite
def mutated_sample(draw) -> str:
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "splice"]))
        i = draw(st.integers(0, len(lines) - 1))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "insert":
            position = draw(st.integers(0, len(lines[i])))
            junk = "".join(draw(st.lists(st.one_of(TRICKY, st.characters()), max_size=6)))
            lines[i] = lines[i][:position] + junk + lines[i][position:]
        else:
            lines[i] = lines[i] + draw(st.sampled_from(lines))
    if draw(st.booleans()):
        lines = draw(st.permutations(lines))
    text = draw(st.sampled_from(["\n", "", " ", "\r\n"])).join(lines)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text


@SETTINGS
@given(mutated_sample())
def test_a_mutated_sample_parses_or_raises_plan_parse_error(text):
    _parses_or_refuses(text)


@SETTINGS
@given(st.lists(st.one_of(TRICKY, st.text(max_size=8)), max_size=60).map("".join))
def test_random_documents_parse_or_raise_plan_parse_error(text):
    _parses_or_refuses(text)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from([b"", b"PK\x03\x04", b"<html><body><p>", b"\xef\xbb\xbf"]))
def test_random_bytes_parse_or_raise_plan_parse_error(data, prefix):
    with contextlib.suppress(PlanParseError):
        parse_bytes(prefix + data, source="fuzz.bin")


@settings(max_examples=15, deadline=None)
@given(mutated_sample())
def test_a_mutated_sample_in_word_or_html_parses_or_raises_plan_parse_error(text):
    document = Document()
    for line in text.splitlines():
        document.add_paragraph("".join(ch for ch in line if ch.isprintable()))
    buffer = io.BytesIO()
    document.save(buffer)
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</body></html>"
    for data in (buffer.getvalue(), html.encode("utf-8", "surrogatepass")):
        with contextlib.suppress(PlanParseError):
            parse_bytes(data, source="fuzz")
