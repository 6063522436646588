"""The yardsticks: a bare Flask hello-world served by the same gunicorn settings, and the same hello-world
after one ``SELECT 1`` in a transaction through Roundtable's own engine settings (pool, pre-ping, timeout).

The second shows what any page that reads the database pays before it does its own work.
"""

import os

from flask import Flask
from sqlalchemy import create_engine, text

from roundtable.db import engine_options

app = Flask(__name__)
_url = os.environ.get("DATABASE_URL", "")
engine = create_engine(_url, **engine_options(_url, 30)) if _url else None


@app.get("/")
def hello():
    return "Hello, world"


@app.get("/db")
def hello_after_select():
    with engine.begin() as connection:
        connection.execute(text("SELECT 1"))
    return "Hello, world"
