"""Domain signals that cross app boundaries without the sender knowing who listens.

``enterprise_data_changed`` is sent (after commit) by every writer of enterprise registry fields or
facts — imports, department data files — including bulk writes that fire no model signals. Readers
that cache derived data (the rules engine's facts snapshot) drop their caches on it.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

enterprise_data_changed = Signal()
rules_changed = Signal()


def announce_enterprise_data_changed(sender: object = None) -> None:
    """Send ``enterprise_data_changed`` once the surrounding transaction commits."""
    transaction.on_commit(lambda: enterprise_data_changed.send(sender=sender))
