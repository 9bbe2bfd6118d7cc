"""Password hashing: Argon2id at OWASP's recommended parameters.

Django's own Argon2 defaults (100 MiB, 8 lanes) and its PBKDF2 default (1,000,000 iterations,
about 230 ms of CPU here) make every login and signup hold a sync worker for a fifth of a second;
under the apps' mixed traffic that was 59% of a worker's CPU (docs/BENCHMARKS.md). Argon2id with
19 MiB, 2 passes and 1 lane is memory-hard (costly on GPUs, which PBKDF2 is not) and takes about
20 ms. Hashes keep Django's "argon2" prefix, so older PBKDF2 and bcrypt hashes still verify and
are re-hashed with these parameters on the next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
