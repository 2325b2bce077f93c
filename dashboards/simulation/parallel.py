"""The nation's simulated round in several processes at once, a province per task.

A province is already its own transaction in the bulk path, and everything it writes (its people, officers,
reports, values, steps, seals and messages) belongs to its own LAOs and units, so provinces can be written side
by side: each worker process takes the next province, simulates it through `round_simulate` with its own
database connection, and the outcomes are summed. Each LAO's story is drawn from the seed and its own key, so
the round is the one a single process writes. Only PostgreSQL takes writers side by side; SQLite, a caller's
open transaction (which other connections could not see) or one job keep to a single process.
"""

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date

from django.db import connection, connections
from django.db.models import Count

from dashboards.simulation import people
from dashboards.simulation.round import Outcome, round_ensure, round_simulate
from organizations.models import LAO, District, Province
from sectors.models import FiscalYear


def round_simulate_parallel(*, fiscal_year: FiscalYear, today: date, seed: int = 2568, jobs: int = 2,
                            progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Simulate every demo LAO of the nation as `round_simulate` does, in `jobs` processes where the database
    allows it; returns the summed outcome."""
    if jobs <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return round_simulate(fiscal_year=fiscal_year, today=today, seed=seed, progress=progress)
    started = time.perf_counter()
    round_ensure(fiscal_year)  # the round (and the department account that sets it) once, before the workers
    total = Outcome(officers=people.officers_ensure(Province.objects.all(), District.objects.all()))
    sizes = dict(LAO.objects.filter(is_demo=True, is_active=True).values_list("province__code")
                 .annotate(n=Count("pk")).values_list("province__code", "n"))
    provinces = sorted(sizes, key=lambda code: (-sizes[code], code))  # the largest first: the tail stays short
    laos = sum(sizes.values())
    connections.close_all()  # each worker opens its own connection; none is shared across the fork
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_province, fiscal_year.pk, today, seed, code) for code in provinces]
        for future in as_completed(futures):
            _add(total, future.result())
            if progress is not None:
                progress(total.laos + total.skipped, laos)
    total.seconds = time.perf_counter() - started
    return total


def _province(fiscal_year_id: int, today: date, seed: int, province_code: str) -> Outcome:
    try:
        return round_simulate(fiscal_year=FiscalYear.objects.get(pk=fiscal_year_id), today=today, seed=seed,
                              province_code=province_code)
    finally:
        connections.close_all()


def _add(total: Outcome, part: Outcome) -> None:
    total.laos += part.laos
    total.skipped += part.skipped
    total.reports += part.reports
    total.events += part.events
    total.officers += part.officers
    total.refused += part.refused
    for state, n in part.states.items():
        total.states[state] = total.states.get(state, 0) + n
