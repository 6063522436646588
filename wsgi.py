"""gunicorn entry point: ``gunicorn wsgi:app``."""

from roundtable import create_app

app = create_app()
