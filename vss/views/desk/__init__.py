"""Bàn đăng ký di động: staff register a citizen who shows their ID in person (Mẫu 01 fields,
camera photos, the identity declaration, the code the citizen reads out) and the dossier is born
received. Each step has its own URL and works without JavaScript; with htmx only the step is
swapped and the URL pushed. The sitting's steps are in `steps`, the start, the code, the result
and the print-out in `finish`; `base` holds what they share."""

from vss.views.desk import finish, steps  # noqa: F401  (their routes join the blueprint)
from vss.views.desk.base import bp  # noqa: F401  (the factory registers desk.bp)
