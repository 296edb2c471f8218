"""The state machine refuses every move not in the table (pure)."""

import itertools

import pytest

from tongchou.appeals.states import TRANSITIONS, Action, Rating, Status, allowed_actions, next_status
from tongchou.core.errors import IllegalTransition

LEGAL = [
    ("submitted", "dispatch", "dispatched"),
    ("dispatched", "accept", "accepted"),
    ("accepted", "answer", "answered"),
    ("answered", "rate", "rated"),
    ("rated", "close", "closed"),
    ("answered", "close", "closed"),
    ("dispatched", "transfer", "dispatched"),
    ("accepted", "transfer", "dispatched"),
    ("dispatched", "return", "submitted"),
    ("accepted", "return", "submitted"),
    ("submitted", "merge", "merged"),
    ("dispatched", "merge", "merged"),
    ("accepted", "merge", "merged"),
    ("rated", "reopen", "dispatched"),
]


@pytest.mark.parametrize(("current", "action", "target"), LEGAL)
def test_legal_transitions(current, action, target):
    assert next_status(current, action, rating=Rating.DISSATISFIED, reason="原因") == target


ILLEGAL = [
    (s.value, a.value)
    for s, a in itertools.product(Status, Action)
    if (s.value, a.value) not in {(c, a2) for c, a2, _ in LEGAL}
]


@pytest.mark.parametrize(("current", "action"), ILLEGAL)
def test_every_other_transition_is_refused(current, action):
    with pytest.raises(IllegalTransition) as exc:
        next_status(current, action, rating=Rating.DISSATISFIED, reason="原因")
    assert exc.value.status == 409


def test_table_and_legal_list_agree():
    assert len(LEGAL) == sum(len(sources) for sources, _ in TRANSITIONS.values())


@pytest.mark.parametrize("action", ["transfer", "return", "merge"])
def test_reason_required(action):
    with pytest.raises(IllegalTransition) as exc:
        next_status("dispatched", action, reason="  ")
    assert exc.value.code == "reason_required"


@pytest.mark.parametrize("rating", [Rating.SATISFIED, Rating.BASICALLY, None])
def test_reopen_only_after_dissatisfied(rating):
    with pytest.raises(IllegalTransition):
        next_status("rated", "reopen", rating=rating, reason="仍未解决")


def test_closed_and_merged_allow_nothing():
    assert allowed_actions("closed") == []
    assert allowed_actions("merged") == []
