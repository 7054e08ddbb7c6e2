"""The model's records of what happened: one row per ended episode, care start, episode start.

Named tuples, so a row reads by name (`e.ending`, `s.wait`) and still sorts,
slices and compares as a tuple; the first field is always a week, which is
what the KPIs bisect on.
"""

from __future__ import annotations

from typing import NamedTuple


class Episode(NamedTuple):
    """An episode of care that ended (`model.episodes`, in order of `end`)."""

    family: int
    start: int  # week the episode began
    end: int  # week it ended
    ending: int  # an `Ending`
    rating: float  # the family's rating of the help (kpis.client_rating)
    relapsed: bool  # a new episode began within the relapse window (set later)
    repeat: bool  # the family had care that ended shortly before this episode began
    retold: int  # times the family told its story again
    plans: int  # plans made for the family during the episode


class Start(NamedTuple):
    """A trajectory that started (`care.starts`, in order of `week`)."""

    week: int
    wait: float  # weeks from the family's first referral for the problem (a wrong door included)
    urgent: bool
    slot: int  # domain, or LIGHT
    severity_at_referral: float
    severity_at_start: float
    intake_wait: float  # weeks from that first referral to the intake at the right provider
    via_wrong_door: bool = False  # the family reached this care by way of a wrong door


class EpisodeStart(NamedTuple):
    """An episode that began (`model.episode_starts`)."""

    week: int
    repeat: bool  # a child of the family had youth care in the previous five years
    youth: bool  # the episode involves youth care


class RouteStart(NamedTuple):
    """A youth-care start with the route it came by (`routes.starts`)."""

    week: int
    route: int  # a `Route`
    slot: int
    integral: bool  # the family had an integral plan
    children: int  # the family's children it is for (CBS counts a trajectory per child)
