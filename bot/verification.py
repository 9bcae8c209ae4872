"""Who must confirm a report before it goes out (the ``VERIFICATION`` setting), as pure rules."""

from __future__ import annotations

import enum

from bot.roles import Role
from storage.reports import ReportState
from storage.users import User


class Policy(enum.StrEnum):
    COORDINATOR = "coordinator"  # members' reports wait; coordinators' own go out at once
    SECOND_PERSON = "second-person"  # every report waits for a coordinator other than its reporter
    OFF = "off"  # everything goes out at once, labelled unverified until confirmed


def initial_state(policy: Policy, reporter_role: Role) -> ReportState:
    """The state a new report starts in."""
    if policy == Policy.OFF:
        return ReportState.UNVERIFIED
    if policy == Policy.COORDINATOR and reporter_role >= Role.COORDINATOR:
        return ReportState.CONFIRMED
    return ReportState.PENDING


def may_decide(policy: Policy, decider: User, reporter_id: int | None) -> bool:
    """Whether ``decider`` may confirm or reject a report by ``reporter_id``.

    Under ``second-person`` nobody confirms their own report; admins count as coordinators, so a
    network with one coordinator needs an admin for that coordinator's reports.
    """
    if decider.role < Role.COORDINATOR:
        return False
    return not (policy == Policy.SECOND_PERSON and decider.telegram_id == reporter_id)


def verifiers(candidates: list[User], reporter_id: int | None) -> list[User]:
    """Who is asked to confirm: coordinators and admins, except the reporter."""
    return [
        user
        for user in candidates
        if user.role >= Role.COORDINATOR and user.telegram_id != reporter_id
    ]
