"""Enumerations shared by the model: family states, child stress, signal channels, roles."""

from __future__ import annotations

from enum import IntEnum


class FamilyState(IntEnum):
    """Where a family stands in the care system; every family is in exactly one."""

    HEALTHY = 0  # not known to the care system (problems may grow unseen)
    SIGNAL = 1  # noticed, waiting for triage by the wijkteam
    WAITING = 2  # referred, on a waiting list, no care yet
    IN_CARE = 3  # at least one trajectory running
    ENDED_WELL = 4  # care ended less than a year ago and problems stay low
    RELAPSED = 5  # care ended less than a year ago and problems returned
    ESCALATED = 6  # a child placed out of home, no other care running (sim/protection.py)


# Weeks after an ending within which a new episode counts as further help (a relapse); a
# family stays ENDED_WELL or RELAPSED that long before it is HEALTHY again.
RELAPSE_WEEKS = 52


class Role(IntEnum):
    """What a professional does; here, not with the agents, so that checking a scenario
    (which counts the posts a practice needs) does not load the agent framework."""

    GENERALIST = 0  # wijkteam: triage, light help, trajectbegeleider
    SPECIALIST = 1  # provider: care in one domain


class Stress(IntEnum):
    """Child stress after the Center on the Developing Child."""

    POSITIVE = 0
    TOLERABLE = 1
    TOXIC = 2


class Channel(IntEnum):
    """Who noticed a family's problems."""

    SCHOOL = 0
    GP = 1
    NEIGHBOURS = 2
    OWN_REQUEST = 3
    ONLINE = 4
    JEUGDARTS = 5  # youth health care (JGZ): development and parenting of young children


class Ending(IntEnum):
    """How an episode of care ended."""

    ENDED = 0
    DROPPED_OUT = 1
    ESCALATED = 2
    ALTERNATIVE = 3  # taken off the list into a programme that does not fit
    ADVISED = 4  # below the reach of jeugdhulp: advice, the voorliggend veld (sim/reform.py)
    DECLINED = 5  # turned down the care offered, because of the eigen bijdrage


# Names by value (`Channel(i).name.lower()`, `Ending(i).name.lower()`) without the enum
# call: the log names a channel or an ending per event.
CHANNEL_KEYS = tuple(ch.name.lower() for ch in Channel)
ENDING_KEYS = tuple(e.name.lower() for e in Ending)
