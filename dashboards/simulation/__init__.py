"""A simulated reporting round: plausible values and a realistic spread of states, through the services."""

from dashboards.simulation.round import Outcome, default_round_dates, round_ensure, round_simulate

__all__ = ["Outcome", "default_round_dates", "round_ensure", "round_simulate"]
