"""The project's format overrides (FORMAT_MODULE_PATH), one package per locale the site speaks.

Django takes the first DATE_INPUT_FORMATS entry to render a date field's value; for zh-hans that is
"%Y/%m/%d", which an `<input type=date>` rejects (HTML wants YYYY-MM-DD), so the browser shows it empty.
Here ISO comes first for rendering, and the other usual ways of writing a date are still accepted.
"""

ISO_DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2022-09-30: what <input type=date> sends and must be given
    "%Y/%m/%d",  # 2022/09/30
    "%Y.%m.%d",  # 2022.09.30, common in Chinese documents
    "%Y年%m月%d日",  # 2022年9月30日 (strptime takes 9 for %m)
    "%Y%m%d",  # 20220930
]
