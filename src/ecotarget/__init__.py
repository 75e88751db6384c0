"""ecotarget — 生态环境保护目标责任管理系统."""

__version__ = "0.1.0"
