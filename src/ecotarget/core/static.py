"""The static files app, collecting only the files pages use from the vendored npm packages.

ECharts' dist/ holds 46 MB of builds and source maps; pages load echarts.min.js only, and hashing and compressing
the rest would make every `ecotarget serve` after an upgrade wait minutes. The patterns apply to collectstatic
(and so to what the real server serves); the development server still finds any file.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig

VENDOR_UNUSED = ["echarts.js", "echarts.*.map", "echarts.esm.*", "echarts.common.*", "echarts.simple.*", "extension"]


class StaticFilesConfig(DjangoStaticFilesConfig):
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, *VENDOR_UNUSED]
