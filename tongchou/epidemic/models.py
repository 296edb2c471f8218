"""Models of the epidemic app (issue 11: town risk grading, daily case reports, home health monitoring (kept apart, deleted on schedule), enterprises' prevention checks)."""

from django.db import models  # noqa: F401
