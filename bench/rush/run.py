"""The deadline-rush benchmark, end to end, on loopback: the production stack, the mix at 50, 100 and 200 users, each
request alone in a closed loop, the saves-only run, and the fixed cost of being signed in, in one run.

    .venv/bin/python bench/rush/prepare.py            # once: the database info_rush and the accounts
    nice .venv/bin/python bench/rush/run.py           # about 15 minutes; results in bench/rush/out/<time>/

What it starts: a fresh copy of the prepared database (so every run starts from the same state), one Celery
worker on Redis, and gunicorn with the production settings and the documented 3 sync workers and 60 s timeout,
on 127.0.0.1. What it runs, in order:

1. the minimal anonymous view (/healthz/) and the minimal signed-in view (the unread badge, /inbox/badge/) with
   wrk, a fixed number of connections each;
2. the mix (bench/rush/locustfile.py) at each number of users, think times of 3-15 s, stats after the ramp;
3. each request type alone, a few clients in a closed loop without think time: its throughput, and the same as a
   share of the two minimal views' (measured again after, and averaged, since the machine is shared);
4. saves only: N clients, closed loop, no think time: saves/s and p95.

It prints one table and writes results.md and results.json beside the CSV files. Everything it started is
stopped at the end, also on Ctrl-C or an error.
"""

import argparse
import csv
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENV_BIN = Path(sys.executable).parent
MIX_CLASSES = ["Clerk", "Verifier", "Certifier", "DistrictOfficer", "ProvincialOfficer", "DepartmentOfficer"]
SOLO_KINDS = {"form_get": "form GET", "field_check": "field check (htmx)", "save": "save (htmx)",
              "dashboard_district": "dashboard district", "dashboard_province": "dashboard province",
              "dashboard_nation": "dashboard nation"}
# The rows of the table, in this order; other request names follow.
ROWS = ["form GET", "field check (htmx)", "save (htmx)", "check before submit (htmx)", "submit", "sector cards",
        "my queue", "review GET", "verify", "return", "certify", "dashboard district", "dashboard province",
        "dashboard nation", "laggards district", "laggards province", "laggards nation", "laggards.xlsx district",
        "laggards.xlsx province", "laggards.xlsx nation", "laggards.pdf district", "laggards.pdf province",
        "sign-in page", "sign in"]


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("RUSH_DB", "info_rush"),
                        help="the prepared database (bench/rush/prepare.py); it is copied, never written")
    parser.add_argument("--run-database", default="info_rush_run", help="the copy the run writes into")
    parser.add_argument("--reuse-database", action="store_true", help="run on --run-database as it is")
    parser.add_argument("--pg", default=os.environ.get("RUSH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--broker", default=os.environ.get("RUSH_BROKER", "redis://127.0.0.1:6379/2"))
    parser.add_argument("--results-backend", default=os.environ.get("RUSH_RESULTS", "redis://127.0.0.1:6379/3"))
    parser.add_argument("--cache", default=os.environ.get("RUSH_CACHE", "redis://127.0.0.1:6379/14"),
                        help="CACHE_URL of the web and worker processes (docker-compose.yml: Redis)")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the documented 3)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker (1: sync workers, as documented; more: gthread workers)")
    parser.add_argument("--users", default="50,100,200", help="mix runs, comma-separated numbers of users")
    parser.add_argument("--duration", type=int, default=90, help="seconds of each mix run after its ramp")
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second in the ramp")
    parser.add_argument("--solo", default="form_get,field_check,dashboard_district,dashboard_province,"
                                          "dashboard_nation", help="request types measured alone")
    parser.add_argument("--solo-clients", type=int, default=6)
    parser.add_argument("--solo-duration", type=int, default=30)
    parser.add_argument("--sign-in-grace", type=int, default=20,
                        help="seconds added to each closed-loop run for its clients to sign in first")
    parser.add_argument("--saves-clients", type=int, default=12)
    parser.add_argument("--saves-duration", type=int, default=60)
    parser.add_argument("--wrk-connections", type=int, default=12)
    parser.add_argument("--wrk-duration", type=int, default=15)
    parser.add_argument("--skip-mix", action="store_true")
    parser.add_argument("--out", default="", help="results folder (default bench/rush/out/<UTC time>)")
    return parser.parse_args()


class Stack:
    """The processes of one run; stop() ends each one it started, by its own id."""

    def __init__(self, args: argparse.Namespace, out: Path):
        self.args, self.out = args, out
        self.base = f"http://127.0.0.1:{args.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "info_portal.settings.production",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"{args.pg}/{args.run_database}",
            "CELERY_BROKER_URL": args.broker,
            "CELERY_RESULT_BACKEND": args.results_backend,
            "CACHE_URL": args.cache,
        }
        self.processes: list[subprocess.Popen] = []
        self.gunicorn: subprocess.Popen | None = None

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.out / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes.append(process)
        return process

    def start(self) -> None:
        manage = [sys.executable, "manage.py"]
        # What the web container does on each start.
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=self.env, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=self.env, check=True)
        subprocess.run([str(VENV_BIN / "celery"), "-A", "info_portal", "purge", "-f"], cwd=ROOT, env=self.env,
                       check=True, capture_output=True)
        # Every run starts with an empty cache: nothing cached by an earlier run (sessions, dashboards) helps it.
        subprocess.run([*manage, "shell", "-c", "from django.core.cache import cache; cache.clear()"], cwd=ROOT,
                       env=self.env, check=True)
        self._start("celery", [str(VENV_BIN / "celery"), "-A", "info_portal", "worker", "--loglevel=INFO",
                               "--concurrency=2", "--without-mingle", "--without-gossip"])
        self.gunicorn = self._start("gunicorn", [
            str(VENV_BIN / "gunicorn"), "info_portal.wsgi:application", "--bind", f"127.0.0.1:{self.args.port}",
            "--workers", str(self.args.workers), "--threads", str(self.args.threads), "--timeout", "60",
            "--access-logfile", str(self.out / "access.log")])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(self.base + "/healthz/", headers={"X-Forwarded-Proto": "https"})
                if urllib.request.urlopen(request, timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer /healthz/ within 60 s; see gunicorn.log")

    def server_cpu(self) -> float:
        """CPU seconds used so far by gunicorn's master and workers."""
        total = 0.0
        try:
            master = psutil.Process(self.gunicorn.pid)
            for process in [master, *master.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            pass
        return total

    def settle(self, limit: float = 180.0) -> float:
        """Wait until gunicorn is idle: the requests a finished run left queued are still being served, and they
        would weigh on the next one. Returns the seconds waited."""
        started = time.monotonic()
        previous = self.server_cpu()
        while time.monotonic() - started < limit:
            time.sleep(2.0)
            now = self.server_cpu()
            if now - previous < 0.1:  # under 5 % of a core for two seconds
                break
            previous = now
        return time.monotonic() - started

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _psql(pg: str, sql: str) -> None:
    subprocess.run(["psql", f"{pg}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def _sign_in(base: str, username: str, password: str) -> str:
    """A session cookie for wrk, got the way a browser gets one."""

    class Secure(DefaultCookiePolicy):
        def return_ok_secure(self, cookie, request):
            return True

    jar = CookieJar(Secure())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"X-Forwarded-Proto": "https", "Origin": "https://" + base.split("://")[1],
               "Referer": "https://" + base.split("://")[1] + "/accounts/login/"}
    page = opener.open(urllib.request.Request(base + "/accounts/login/", headers=headers)).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    opener.open(urllib.request.Request(base + "/accounts/login/", data=body.encode(), headers=headers))
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"could not sign in as {username}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _machine_busy() -> tuple[float, float]:
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    return sum(times) - idle, sum(times)


def _wrk(args: argparse.Namespace, stack: Stack, path: str, cookie: str = "") -> dict:
    stack.settle()
    command = ["wrk", "-t", "2", "-c", str(args.wrk_connections), "-d", f"{args.wrk_duration}s", "--latency",
               "-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    started, server_before = time.perf_counter(), stack.server_cpu()
    process = subprocess.Popen([*command, stack.base + path], stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _pid, _status, usage = os.wait4(process.pid, 0)
    server_cpu = stack.server_cpu() - server_before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    return {"path": path, "rps": rps, "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
            "p50": latency.get("50", ""), "p99": latency.get("99", ""),
            "client_cpu_pct": 100 * (usage.ru_utime + usage.ru_stime) / (time.perf_counter() - started),
            "server_cpu_ms": 1000 * server_cpu / requests if requests else None}


def _locust(args, stack: Stack, name: str, classes: list[str], users: int, rate: float, seconds: int,
            extra_env: dict | None = None, *, measured: str = "Aggregated", steady_after: float | None = None) -> dict:
    """One locust run: its stats after the ramp, its own CPU, gunicorn's and the machine's, and gunicorn's CPU per
    request of `measured` in the steady part (from `steady_after` seconds, else once 30 % of its requests are in).
    CPU time per request hardly depends on how busy the shared machine is; latency does."""
    settled = stack.settle()
    prefix = stack.out / name
    command = [str(VENV_BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "-H", stack.base,
               "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--reset-stats", "--csv", str(prefix),
               "--csv-full-history", "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "20", *classes]
    load_before = os.getloadavg()
    server_before, (busy_before, all_before) = stack.server_cpu(), _machine_busy()
    samples: list[tuple[float, float]] = []
    started, wall_started = time.perf_counter(), time.time()
    with open(stack.out / f"{name}.locust.log", "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(extra_env or {})}, stdout=log,
                                   stderr=subprocess.STDOUT)
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(1.0):
                samples.append((time.time(), stack.server_cpu()))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, _status, usage = os.wait4(process.pid, 0)
        stop.set()
        sampler.join()
    elapsed = time.perf_counter() - started
    busy_after, all_after = _machine_busy()
    cores = psutil.cpu_count() or 1
    return {
        "name": name, "users": users, "seconds": elapsed, "settled_s": settled,
        "stats": _read_stats(prefix), "failures": _read_failures(prefix),
        "locust_cpu_pct": 100 * (usage.ru_utime + usage.ru_stime) / elapsed,
        "server_cpu_pct": 100 * (stack.server_cpu() - server_before) / elapsed,
        "steady": _steady(prefix, measured, samples, None if steady_after is None else wall_started + steady_after),
        "machine_busy_pct": 100 * cores * (busy_after - busy_before) / max(all_after - all_before, 1e-9),
        "load_before": load_before[0], "load_after": os.getloadavg()[0],
    }


def _steady(prefix: Path, name: str, samples: list[tuple[float, float]], since: float | None) -> dict:
    """Requests/s of `name` and gunicorn's CPU milliseconds per request, between `since` and the end of the run:
    sign-ins and each user's first pages are over by then."""
    path = Path(f"{prefix}_stats_history.csv")
    if not path.exists() or len(samples) < 3:
        return {}
    with path.open() as handle:
        counts = [(int(row["Timestamp"]), int(row["Total Request Count"])) for row in csv.DictReader(handle)
                  if row["Name"] == name]
    if not counts or counts[-1][1] == 0:
        return {}
    final = counts[-1][1]
    if since is None:
        since = next(t for t, n in counts if n >= 0.3 * final)
    before = [(t, n) for t, n in counts if t <= since and n <= final]
    if not before:
        return {}
    t0, n0 = before[-1]
    t1, n1 = counts[-1]
    cpu0 = min(samples, key=lambda s: abs(s[0] - t0))[1]
    cpu1 = min(samples, key=lambda s: abs(s[0] - t1))[1]
    if n1 <= n0 or t1 <= t0:
        return {}
    return {"rps": (n1 - n0) / (t1 - t0), "cpu_ms": 1000 * (cpu1 - cpu0) / (n1 - n0), "requests": n1 - n0,
            "seconds": t1 - t0}


def _read_stats(prefix: Path) -> dict:
    rows = {}
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return rows
    with path.open() as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "count": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50": _ms(row["50%"]), "p95": _ms(row["95%"]), "rps": float(row["Requests/s"]),
                "avg": float(row["Average Response Time"] or 0),
            }
    return rows


def _ms(text: str) -> float | None:
    return None if text in ("", "N/A") else float(text)


def _read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open() as handle:
        return [{"name": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
                for row in csv.DictReader(handle)]


def _cell(stats: dict, name: str) -> str:
    row = stats.get(name)
    if not row or not row["count"]:
        return "—"
    return f"{row['p50']:,.0f} / {row['p95']:,.0f}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _cpu(minimal: list[dict], view: str) -> str:
    values = [m[view]["server_cpu_ms"] for m in minimal if m[view].get("server_cpu_ms") is not None]
    return " · ".join(f"{v:.2f}" for v in values) or "—"


def _each(minimal: list[dict], view: str) -> str:
    return " · ".join(f"{m[view]['rps']:,.0f}" for m in minimal)


def _report(results: dict) -> str:
    lines = [f"# Deadline rush: {results['started']} (git {results['commit']})", "",
             f"machine: {results['machine']}", f"command: `{results['command']}`", ""]
    mixes = results["mix"]
    if mixes:
        header = "| request (p50 / p95 ms) | " + " | ".join(f"{m['users']} users" for m in mixes) + " |"
        lines += [header, "|---" * (len(mixes) + 1) + "|"]
        names = [n for n in ROWS if any(n in m["stats"] for m in mixes)]
        names += sorted({n for m in mixes for n in m["stats"] if n not in ROWS and n != "Aggregated"})
        for name in [*names, "Aggregated"]:
            label = "all requests" if name == "Aggregated" else name
            lines.append(f"| {label} | " + " | ".join(_cell(m["stats"], name) for m in mixes) + " |")

        def agg(mix, key):
            return mix["stats"].get("Aggregated", {}).get(key, 0)

        conflicts = [sum(f["count"] for f in m["failures"] if "409 lost-update" in f["error"]) for m in mixes]
        lines += [
            "| requests per second | " + " | ".join(f"{agg(m, 'rps'):.1f}" for m in mixes) + " |",
            "| requests (failed) | " + " | ".join(f"{agg(m, 'count'):,} ({agg(m, 'failures') - c:,})"
                                                 for m, c in zip(mixes, conflicts, strict=True)) + " |",
            "| 409 lost-update conflicts | " + " | ".join(f"{c:,}" for c in conflicts) + " |",
            "| gunicorn CPU, % of one core | " + " | ".join(f"{m['server_cpu_pct']:.0f}" for m in mixes) + " |",
            "| gunicorn CPU per request, ms (after the ramp) | "
            + " | ".join(_num(m["steady"].get("cpu_ms")) for m in mixes) + " |",
            "| locust CPU, % of one core | " + " | ".join(f"{m['locust_cpu_pct']:.0f}" for m in mixes) + " |",
            "| machine busy, % of one core (all processes) | "
            + " | ".join(f"{m['machine_busy_pct']:.0f}" for m in mixes) + " |",
            "| load average before → after | "
            + " | ".join(f"{m['load_before']:.1f} → {m['load_after']:.1f}" for m in mixes) + " |", ""]
        for mix in mixes:
            for failure in mix["failures"]:
                lines.append(f"- {mix['users']} users: {failure['count']:,} × {failure['name']}: {failure['error']}")
        lines.append("")
    minimal = results["minimal"]
    if minimal:
        anonymous = sum(m["anonymous"]["rps"] for m in minimal) / len(minimal)
        signed = sum(m["signed_in"]["rps"] for m in minimal) / len(minimal)
        lines += ["## The fixed cost of being signed in (wrk, "
                  f"{results['args']['wrk_connections']} connections, {results['args']['wrk_duration']} s each)", "",
                  "| view | requests/s (each measurement) | mean | p50 latency | non-2xx | gunicorn CPU ms/request |",
                  "|---|---|---|---|---|---|",
                  f"| anonymous `/healthz/` | {_each(minimal, 'anonymous')} | "
                  f"{anonymous:,.0f} | {minimal[0]['anonymous']['p50']} | "
                  f"{sum(m['anonymous']['non_2xx'] for m in minimal)} | {_cpu(minimal, 'anonymous')} |",
                  f"| signed in `/inbox/badge/` | {_each(minimal, 'signed_in')} | "
                  f"{signed:,.0f} | {minimal[0]['signed_in']['p50']} | "
                  f"{sum(m['signed_in']['non_2xx'] for m in minimal)} | {_cpu(minimal, 'signed_in')} |",
                  "", f"signed-in / anonymous throughput: **{100 * signed / anonymous:.1f} %**", ""]
        solos = results["solo"]
        if solos:
            lines += ["## Each request alone (closed loop, no think time) against the minimal views", "",
                      "| request | clients | requests/s | p50 / p95 ms | failed | gunicorn CPU ms/request "
                      "| ÷ anonymous | ÷ signed-in |", "|---|---|---|---|---|---|---|---|"]
            for solo in solos:
                row = solo["stats"].get(SOLO_KINDS[solo["kind"]], {})
                if not row:
                    continue
                rps = solo["steady"].get("rps", 0.0)
                lines.append(f"| {SOLO_KINDS[solo['kind']]} | {solo['users']} | {rps:.1f} | "
                             f"{row['p50']:,.0f} / {row['p95']:,.0f} | {row['failures']} | "
                             f"{_num(solo['steady'].get('cpu_ms'))} | "
                             f"{100 * rps / anonymous:.2f} % | {100 * rps / signed:.1f} % |")
            lines.append("")
    saves = results["saves"]
    if saves:
        row = saves["stats"].get("save (htmx)", {})
        if row:
            lines += [f"## Saves only: {saves['users']} clients, closed loop, no think time", "",
                      f"**{saves['steady'].get('rps', 0.0):.1f} saves/s**, "
                      f"p50 {row['p50']:,.0f} ms, p95 {row['p95']:,.0f} ms, "
                      f"{row['failures']} failed of {row['count']:,}; gunicorn CPU {saves['server_cpu_pct']:.0f} % "
                      f"of one core, {_num(saves['steady'].get('cpu_ms'))} ms per save; "
                      f"locust CPU {saves['locust_cpu_pct']:.0f} % of one core; load average "
                      f"{saves['load_before']:.1f} → {saves['load_after']:.1f}", ""]
    return "\n".join(lines)


def _rerender(folder: Path) -> None:
    """The table again from a run's results.json (after a change of the table's layout)."""
    print(_report(json.loads((folder / "results.json").read_text())))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--report":
        _rerender(Path(sys.argv[2]))
        return
    args = _parse()
    out = Path(args.out) if args.out else HERE / "out" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)
    accounts = json.loads((HERE / "out" / "accounts.json").read_text())
    if accounts.get("database") not in (args.database, None):
        print(f"note: accounts.json was written for {accounts['database']}, not {args.database}")
    if not shutil.which("wrk"):
        sys.exit("wrk is needed for the minimal views: apt-get install wrk")
    if not args.reuse_database:
        _psql(args.pg, f'DROP DATABASE IF EXISTS "{args.run_database}" WITH (FORCE)')
        _psql(args.pg, f'CREATE DATABASE "{args.run_database}" TEMPLATE "{args.database}" STRATEGY FILE_COPY')
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    results = {"started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
               "machine": f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
                          f"load average {os.getloadavg()[0]:.1f} at the start",
               "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]) or "bench/rush/run.py",
               "args": vars(args), "mix": [], "minimal": [], "solo": [], "saves": None}
    stack = Stack(args, out)
    recorder = next(a["username"] for a in reversed(accounts["accounts"]) if a["role"] == "recorder")
    try:
        stack.start()
        print(f"server up on {stack.base}; results in {out}", flush=True)
        cookie = _sign_in(stack.base, recorder, accounts["password"])

        def minimal() -> None:
            anonymous = _wrk(args, stack, "/healthz/")
            signed_in = _wrk(args, stack, "/inbox/badge/", cookie)
            results["minimal"].append({"anonymous": anonymous, "signed_in": signed_in})
            print(f"minimal views: anonymous {anonymous['rps']:,.0f}/s, signed in {signed_in['rps']:,.0f}/s",
                  flush=True)

        minimal()
        if not args.skip_mix:
            for users in [int(n) for n in args.users.split(",") if n]:
                ramp = users / args.spawn_rate
                mix = _locust(args, stack, f"mix{users}", MIX_CLASSES, users, args.spawn_rate,
                              int(ramp + args.duration), steady_after=ramp + 5)
                results["mix"].append(mix)
                print(f"mix {users} users: {mix['stats'].get('Aggregated', {}).get('rps', 0):.1f} req/s", flush=True)
        for kind in [k for k in args.solo.split(",") if k]:
            solo = _locust(args, stack, f"solo-{kind}", ["Solo"], args.solo_clients, args.solo_clients,
                           args.solo_duration + args.sign_in_grace, {"RUSH_SOLO": kind}, measured=SOLO_KINDS[kind])
            solo["kind"] = kind
            results["solo"].append(solo)
            print(f"alone: {kind} {solo['steady'].get('rps', 0):.1f}/s", flush=True)
        minimal()
        results["saves"] = _locust(args, stack, "saves", ["Solo"], args.saves_clients, args.saves_clients,
                                   args.saves_duration + args.sign_in_grace, {"RUSH_SOLO": "save"},
                                   measured="save (htmx)")
    finally:
        stack.stop()
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str))
    report = _report(results)
    (out / "results.md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
