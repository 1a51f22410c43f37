"""Entry point: `flask --app app run` and `gunicorn app:app`."""

from vss import create_app

app = create_app()
