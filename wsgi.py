"""gunicorn entry point: ``gunicorn wsgi:app``.

Settings the app refuses stop the start with their one-line reason on stderr, not a traceback, and exit status 4:
gunicorn's own "the app could not be loaded", so a worker that loads the app (without preload_app) stops the
master too, instead of being started again and again.
"""

import sys

from roundtable import create_app
from roundtable.config import ConfigurationError

try:
    app = create_app()
except ConfigurationError as problem:
    print(f"Error: {problem.format_message()}", file=sys.stderr)
    sys.exit(4)
