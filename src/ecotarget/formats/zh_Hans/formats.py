"""zh-hans, the site's language: Django's own formats except that dates render as ISO in inputs."""

from ecotarget.formats import ISO_DATE_INPUT_FORMATS

DATE_INPUT_FORMATS = ISO_DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",  # what <input type=datetime-local> sends
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M",
]
