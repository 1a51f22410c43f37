"""Đăng ký: the Mẫu 01 registration flow. Each step has its own URL and works without
JavaScript; with htmx only the step is swapped and the URL pushed. The steps are in `steps`
(Bước 1–5), the code, the result and cancelling a pending dossier in `finish`; `base` holds what
they share: the blueprint, the draft cookie and the step guard."""

from vss.views.register import finish, steps  # noqa: F401  (their routes join the blueprint)
from vss.views.register.base import bp  # noqa: F401  (the factory registers register.bp)
