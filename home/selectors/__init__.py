"""Reads of the home page: one work list per role the user holds, each one selector."""

from home.selectors.nation import NationWork, ProvinceLine, RoundState, nation_work, round_state
from home.selectors.officer import OfficerWork, officer_work
from home.selectors.recorder import LaoWork, SectorLine, recorder_work
from home.selectors.reviewer import ReviewWork, review_work

__all__ = [
    "LaoWork", "NationWork", "OfficerWork", "ProvinceLine", "ReviewWork", "RoundState", "SectorLine",
    "nation_work", "officer_work", "recorder_work", "review_work", "round_state",
]
