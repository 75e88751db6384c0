"""Site chrome and the plan's metadata: title, 文号, issuer, date, year and region.

Pages saved from a government site carry a metadata block (索引号 / 文号 / 发布机构 / 公文生成日期) and widgets
("扫一扫在手机上查看当前页面", 打印本页). Those are read as metadata and removed before the body is parsed, so
they are never mistaken for tasks. Without a metadata block the same facts are read from the document itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .model import Meta
from .numerals import cn_to_int
from .text import Line

# Keys of the metadata block sites print above an article; the value is the field it fills, or "" to drop.
META_KEYS: dict[str, str] = {
    "索引号": "",
    "备注/文号": "doc_number",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "文件编号": "doc_number",
    "发文文号": "doc_number",
    "发布机构": "issuer",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发布单位": "issuer",
    "公文生成日期": "date",
    "成文日期": "date",
    "发文日期": "date",
    "发布日期": "date",
    "印发日期": "date",
    "生成日期": "date",
    "发布时间": "date",
    "标题": "title",
    "主题分类": "",
    "体裁分类": "",
    "组配分类": "",
    "服务对象分类": "",
    "信息分类": "",
    "所属主题": "",
    "主题词": "",
    "有效性": "",
    "时效性": "",
    "公开方式": "",
    "公开范围": "",
    "公开时限": "",
    "统一编号": "",
    "统一社会信用代码": "",
    "信息来源": "",
    "来源": "",
    "浏览次数": "",
    "访问次数": "",
    "点击数": "",
}
_KEY_ALT = "|".join(sorted(map(re.escape, META_KEYS), key=len, reverse=True))
_KEY_RE = re.compile(rf"(?:^|(?<=[\t\s|>-]))[-•·*]?\s*({_KEY_ALT})\s*(?::|\t)\s*")
_LEADING_KEY = re.compile(rf"^[-•·*]?\s*({_KEY_ALT})\s*(?::|\t|$)")

# Widgets and navigation that sites glue to the article, sometimes onto its last line.
CHROME = re.compile(
    r"扫一扫在手机上查看当前页面|扫一扫在手机打开当前页|扫一扫在手机上打开当前页面?|扫一扫在手机上查看"
    r"|【?打印本页】?|【?关闭窗口】?|【打印】|【关闭】|【?我要纠错】?|【?保存本页】?|【收藏】"
    r"|【?字体:\s*\[?大\]?\s*\[?中\]?\s*\[?小\]?】?|【?字号:\s*\[?大\]?\s*\[?中\]?\s*\[?小\]?】?"
)
# Whole lines of site furniture: navigation, and the footer every government site carries (主办单位 there is the
# site's sponsor, not a task's lead unit).
_CHROME_LINE = re.compile(
    r"^(?:上一篇|下一篇|当前位置|您当前的位置|您的位置|分享到|相关链接|相关文件)[:\t]?|^首页\s*[>›»]"
    r"|^(?:主办单位|承办单位|主办|承办|协办|网站标识码|技术支持|版权所有|联系电话|联系我们|网站地图)[:\t]"
    r"|ICP备|公网安备"
)

DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,10}?)[〔\[(【]((?:19|20)\d{2})[〕\])】]第?(\d{1,4})号")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_ORG_SUFFIX = r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|指挥部|领导小组|工作领导小组|局|厅|委)"
_ORG = re.compile(rf"^[\u4e00-\u9fff()、]{{2,30}}?{_ORG_SUFFIX}")
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff()]{{2,30}}{_ORG_SUFFIX}$")

_TITLE_WORDS = ("方案", "分工", "分解", "清单", "任务表", "责任书", "责任状", "工作要点", "实施意见", "计划", "任务")
_STRONG_TITLE_WORDS = ("方案", "分工", "分解", "清单", "任务表")
_NOTICE = re.compile(r"关于印发(.+?)的通知")
_BOOK_TITLE = re.compile(r"《([^《》]{4,80})》")
_NOT_TITLE_CHARS = re.compile(r"[,;。:!?]")

_PLACE_PART = re.compile(r"[\u4e00-\u9fff]{1,9}?(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|县|区|州|盟|旗)")
_NOT_PLACES = frozenset(
    (
        "全省", "全市", "全县", "全区", "全州", "城区", "市区", "县区", "辖区", "社区", "园区", "景区", "矿区",
        "林区", "山区", "街区", "库区", "城市", "城乡", "地区", "各县", "各市", "各区", "本市", "本县", "本区",
        "省市", "市县", "县市", "重点区", "流域区",
    )
)  # fmt: skip


@dataclass
class SiteFields:
    """What the site's metadata block said, before it is merged with what the document itself says."""

    values: dict[str, str] = field(default_factory=dict)

    def take(self, key: str, value: str) -> None:
        value = value.strip(" \t-|")
        if key and value and key not in self.values:
            self.values[key] = value


def strip_site_chrome(lines: list[Line]) -> tuple[list[Line], SiteFields]:
    """Remove widget text and metadata lines; keep what the metadata block says."""
    fields = SiteFields()
    kept: list[Line] = []
    for line in lines:
        text = CHROME.sub("", line.text).strip(" \t")
        if not text or _CHROME_LINE.match(text):
            continue
        if _KEY_RE.search(text):
            pairs = _pairs(text)
            for key, value in pairs:
                fields.take(META_KEYS[key], value)
            # A metadata line holds only short key: value pairs; a run-on document that merely starts with
            # the metadata block keeps its body.
            if _LEADING_KEY.match(text) and all(len(value) <= 60 for _, value in pairs):
                continue
        kept.append(Line(line.no, text) if text != line.text else line)
    return kept, fields


def _pairs(text: str) -> list[tuple[str, str]]:
    matches = list(_KEY_RE.finditer(text))
    pairs = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        pairs.append((match.group(1), text[match.end() : end].strip(" \t-|")))
    return pairs


def doc_number_in(text: str) -> str:
    found = DOC_NUMBER.search(text.replace(" ", "").replace("\t", ""))
    if not found:
        return ""
    prefix, year, number = found.groups()
    return f"{prefix}〔{year}〕{number}号"


def date_in(text: str) -> date | None:
    for pattern in (_DATE, _CN_DATE):
        for found in pattern.finditer(text):
            year, month, day = (cn_to_int(part) for part in found.groups())
            if year is None or month is None or day is None:
                continue
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def _issuer_in(text: str) -> str:
    found = _ORG.match(text.strip())
    return found.group(0) if found else (text.strip() if len(text.strip()) <= 30 else "")


def title_in(text: str) -> str:
    """The plan title a line states, or "" if the line is not a title."""
    text = text.strip()
    notice = _NOTICE.search(text)
    if notice:
        return notice.group(1).strip("《》“”")
    if not 6 <= len(text) <= 80 or _NOT_TITLE_CHARS.search(text):
        return ""
    if not any(word in text for word in _TITLE_WORDS):
        return ""
    return text.strip("《》")


def region_in(title: str) -> str:
    """The most specific place name leading the title: 三明市将乐县2022年度… → 将乐县."""
    region = ""
    position = 0
    while True:
        found = _PLACE_PART.match(title, position)
        if not found or found.group(0) in _NOT_PLACES or found.group(0)[-2:] in _NOT_PLACES:
            return region
        region = found.group(0)
        position = found.end()


def year_in(title: str) -> int | None:
    found = re.search(r"((?:19|20)\d{2})\s*年", title)
    if found:
        return int(found.group(1))
    found = re.search(r"([〇零○一二三四五六七八九]{4})\s*年", title)
    if found:
        return cn_to_int(found.group(1))
    return None


def build_meta(fields: SiteFields, preamble: list[Line], closing: list[Line], whole: list[Line]) -> Meta:
    """Merge the site's metadata block with what the document's own lines say.

    `preamble` is what comes before the first task (cover letter, title), `closing` what follows the last
    one (signature, date); `whole` is every line, for run-on documents where nothing is on its own line.
    """
    values = fields.values
    title = title_in(values.get("title", ""))
    if not title:
        title = _first_title(preamble)
    if not title:
        title = _first_book_title(preamble) or _first_book_title(whole[:3])

    # The document's own 文号 stands on a line of its own; one inside a sentence is a document the text cites.
    doc_number = doc_number_in(values.get("doc_number", ""))
    if not doc_number:
        doc_number = next((n for n in (_own_doc_number(line.text) for line in preamble) if n), "")

    issuer = _issuer_in(values["issuer"]) if "issuer" in values else ""
    if not issuer:
        issuer = next((ln.text for ln in (*preamble, *closing) if _ORG_LINE.match(ln.text) and ln.text != title), "")
    if not issuer:
        issuer = next((found for found in (_notice_issuer(ln.text) for ln in preamble) if found), "")

    issued_on = date_in(values.get("date", ""))
    if issued_on is None:
        issued_on = next((d for d in (_date_line(ln.text) for ln in (*closing, *preamble)) if d), None)

    year = year_in(title)
    if year is None and issued_on is not None:
        year = issued_on.year
    if year is None and doc_number:
        year = int(doc_number.split("〔")[1][:4])

    region = region_in(title) or region_in(issuer)
    return Meta(title=title, doc_number=doc_number, issuer=issuer, issued_on=issued_on, year=year, region=region)


def _first_title(lines: list[Line]) -> str:
    titles = [t for t in (title_in(line.text) for line in lines) if t]
    strong = [t for t in titles if any(word in t for word in _STRONG_TITLE_WORDS)]
    return (strong or titles or [""])[0]


def _own_doc_number(text: str) -> str:
    """ "清政办〔2024〕7号" on its own line (perhaps beside 签发人); not "根据…(明政办〔2024〕3号)要求"."""
    text = text.replace(" ", "").replace("\t", "")
    found = DOC_NUMBER.search(text)
    before = text[: found.start()] if found else ""
    labelled = before.endswith(":") and len(before) <= 7  # "文号:…" from a metadata block the site spaced out
    if found is None or (before and not labelled) or len(text) - found.end() > 12 or "《" in text:
        return ""
    return doc_number_in(text)


def _notice_issuer(text: str) -> str:
    """ "清溪县人民政府办公室关于印发…的通知": the office that issues the notice."""
    found = re.match(rf"^([\u4e00-\u9fff()]{{2,30}}?{_ORG_SUFFIX})关于印发", text.strip())
    return found.group(1) if found else ""


def _first_book_title(lines: list[Line]) -> str:
    """The plan a cover letter hands out ("现将《X》印发给你们"); a document the text merely cites is not it."""
    for line in lines:
        if "印发" not in line.text:
            continue
        for found in _BOOK_TITLE.finditer(line.text):
            if any(word in found.group(1) for word in _STRONG_TITLE_WORDS):
                return found.group(1)
    return ""


def _date_line(text: str) -> date | None:
    """A line that is only a date (a signature date), not a date inside a sentence."""
    text = text.strip("() ")
    if len(text) > 16:
        return None
    found = date_in(text)
    if found is None:
        return None
    rest = _DATE.sub("", _CN_DATE.sub("", text)).strip()
    return found if not rest else None
