"""Models of the projects app (issue 13: key projects, baselines, milestones, plan against actual, status by rules, problems, supervision letters)."""

from django.db import models  # noqa: F401
