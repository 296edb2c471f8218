"""Models of the supervision app (issue 14: supervision of measures (对账销号) and the enterprise service network (key enterprises, service officers, 一企一策))."""

from django.db import models  # noqa: F401
