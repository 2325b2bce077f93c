"""Sign-ins through the real login view (axes, session, last login) with each password hasher, and what a morning
login storm costs: PBKDF2-SHA256 at Django's 1,000,000 iterations against the portal's Argon2id.

Run (PostgreSQL):  DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_portal nice .venv/bin/python bench/sign_in.py
Environment: BENCH_SIGN_INS (default 20) sign-ins per hasher; BENCH_STORM (default 5000) clerks signing in.

It builds a throw-away test database (test_<name>). Each sign-in is a new browser (no cookie) posting the login
form; the CPU ms are this process's (the hashing is all here), the wall ms include the database.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "info_portal.settings.test")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from info_portal.settings import base  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_SIGN_INS", "20"))
STORM = int(os.environ.get("BENCH_STORM", "5000"))
CORES = 2
PASSWORD = "ทุ่งกุลา-ฝนตก-2568-ข้าวงาม"
HASHERS = {
    "MD5 (unsafe; only to show the rest of a sign-in)": "django.contrib.auth.hashers.MD5PasswordHasher",
    "PBKDF2-SHA256, 1,000,000 iterations (Django's default)": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "Argon2id, 38 MiB, 2 passes, 1 lane (the portal)": "accounts.hashers.PortalArgon2PasswordHasher",
}


def sign_ins(username: str) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(ROUNDS):
        client = Client()
        started, cpu = time.perf_counter(), time.process_time()
        response = client.post("/accounts/login/", {"username": username, "password": PASSWORD},
                               REMOTE_ADDR="10.1.2.3")
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.status_code
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    from tests.conftest import make_user

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}; {ROUNDS} sign-ins per hasher; a storm of {STORM:,} clerks, "
              f"{CORES} cores")
        for n, (label, path) in enumerate(HASHERS.items()):
            with override_settings(PASSWORD_HASHERS=[path, *(h for h in base.PASSWORD_HASHERS if h != path)]):
                user = make_user(f"bench.clerk{n}")
                user.password = make_password(PASSWORD)
                user.save(update_fields=["password"])
                assert user.password.startswith(make_password("x").split("$")[0])
                wall, cpu = sign_ins(user.username)
            per_second = CORES * 1000 / cpu
            storm_cpu_s = STORM * cpu / 1000
            print(f"{label}: median {wall:.0f} ms wall, {cpu:.0f} ms CPU per sign-in; about {per_second:.0f} "
                  f"sign-ins/s on {CORES} cores; {STORM:,} clerks cost {storm_cpu_s:,.0f} CPU-s = "
                  f"{storm_cpu_s / CORES / 60:.1f} min of both cores")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
