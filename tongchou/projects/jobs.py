"""Scheduled jobs of the projects app (core.scheduler), listed in settings.TONGCHOU_SCHEDULED_JOBS."""

from __future__ import annotations

from tongchou.core.scheduler import Job

JOBS: list[Job] = []
