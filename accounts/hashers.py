"""The password hasher: Argon2id with parameters chosen for a morning's sign-in rush (docs/performance.md).

Twice the memory of OWASP's first Argon2id minimum (19 MiB, 2 passes, 1 lane): an attacker pays in memory as
well as time for every guess, which PBKDF2 does not ask, while a sign-in costs a fraction of PBKDF2's CPU.
Hashes made with other parameters (or with PBKDF2) are upgraded at the next successful sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    memory_cost = 38 * 1024  # KiB
    time_cost = 2
    parallelism = 1
