"""gunicorn's settings for `ecotarget serve`, read from Django's (ECOTARGET_BIND, ECOTARGET_WORKERS).

Any other gunicorn option can be added through GUNICORN_CMD_ARGS.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")

from django.conf import settings

bind = [settings.ECOTARGET_BIND]
workers = settings.ECOTARGET_WORKERS
proc_name = "ecotarget"
accesslog = "-"
# Data imports and report drafting run in the worker (core/jobs.py); what stays in the request (a plan document, a
# 通讯录 or station list of a few thousand rows, the ledger export) takes seconds. Two minutes before a worker counts
# as hung leaves a wide margin on a busy two-core machine without holding a stuck worker for long.
timeout = 120
# On TERM or HUP a worker finishes the requests it holds before it goes.
graceful_timeout = 30
# Each worker is replaced after about a thousand requests (jittered so they do not all go at once): a slow leak
# never grows, and no request is dropped.
max_requests = 1000
max_requests_jitter = 100
# Nothing here uses gunicornc; its socket would be one path in the home directory shared by every instance.
control_socket_disable = True
# Workers' heartbeat files in memory, so a busy disk never makes the master think a worker hangs.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
