"""Models of the operations app (issue 10: the daily operating report (一表填报), resumption rates checked against independent signals, the command centre and the daily briefing)."""

from django.db import models  # noqa: F401
