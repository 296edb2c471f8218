"""What the kernel needs from apps it may not import (core imports no other app): named in settings,
looked up by dotted path on first use.

- ``role_of(user) -> str`` — ``settings.TONGCHOU_ROLE_OF`` (``accounts.roles.role_of``): the role a
  workflow's ``may=("department", "admin")`` is compared with.
- ``workday_calendar()`` — ``settings.TONGCHOU_WORKDAY_CALENDAR`` (``workdays.services.calendar``):
  an object with ``is_workday(date)``, ``add_working_days(date, n)`` and ``deadline(datetime, n)``,
  for deadlines and working-days-only jobs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@functools.lru_cache(maxsize=16)
def _function(path: str) -> Callable[..., Any]:
    return import_string(path)


def role_of(user: Any) -> str:
    return _function(settings.TONGCHOU_ROLE_OF)(user)


def workday_calendar() -> Any:
    return _function(settings.TONGCHOU_WORKDAY_CALENDAR)()
