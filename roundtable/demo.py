"""Demo data for trying Roundtable out: synthetic, never graphic, never used in production."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from roundtable import clock
from roundtable.db import db
from roundtable.models import Roundtable, Theme, User
from roundtable.services import accounts, roundtables

DEMO_JOIN_CODE = "KAPWA7"
DEMO_STAFF = (
    ("admin", "Demo Admin", {"admin"}, "demo-lantern-rooftop"),
    ("facilitator", "Demo Facilitator", {"facilitator"}, "demo-river-mango-tide"),
    ("editor", "Demo Editor", {"editor"}, "demo-window-harbour"),
)
DEMO_THEMES = (
    ("Testifying in court", "Pagtestigo sa korte"),
    ("Video-recorded interviews", "Naka-video na panayam"),
    ("Plea bargaining", "Plea bargaining"),
    ("Feeling protected", "Pakiramdam na protektado"),
    ("Family perpetrators", "Mga kapamilyang nang-abuso"),
    ("Healing", "Paghilom"),
)


def seed_demo() -> str:
    """Create the demo staff, themes and an open roundtable, once; return what to print."""
    users = {}
    for username, name, roles, password in DEMO_STAFF:
        user = db.session.scalar(select(User).where(User.username == username))
        users[username] = user or accounts.create_user(username, name, roles, password)
    for name_en, name_fil in DEMO_THEMES:
        if db.session.scalar(select(Theme.id).where(Theme.name_en == name_en)) is None:
            db.session.add(Theme(name_en=name_en, name_fil=name_fil))
    roundtable = db.session.scalar(select(Roundtable).where(Roundtable.join_code == DEMO_JOIN_CODE))
    if roundtable is None:
        roundtable = roundtables.create(
            users["facilitator"],
            title_en="What should courts change for children?",
            title_fil="Ano ang dapat baguhin ng mga korte para sa mga bata?",
            description_en="A roundtable on how justice systems can protect children who testify.",
            description_fil="Isang talakayan kung paano mapoprotektahan ng sistema ng hustisya ang mga batang tumetestigo.",
            retention_until=clock.today() + timedelta(days=365 * 2),
            meets_on=clock.today() + timedelta(days=7), starts_at=time(14, 0), ends_at=time(16, 30),
            prompts=[
                (
                    "What would have helped you feel safe when you spoke to investigators or the court?",
                    "Ano sana ang nakatulong para maramdaman mong ligtas ka noong nakipag-usap ka sa mga imbestigador o sa korte?",
                ),
                (
                    "What should leaders know about video-recorded interviews and plea bargaining?",
                    "Ano ang dapat malaman ng mga pinuno tungkol sa naka-video na panayam at plea bargaining?",
                ),
            ],
        )
        roundtable.join_code = DEMO_JOIN_CODE
        roundtables.set_status(roundtable, users["facilitator"], "open")
    db.session.commit()

    def login(username: str, password: str) -> str:
        try:
            accounts.confirm_password(users[username], password)
        except accounts.WrongPassword:  # changed since, or an account of that name was there before
            return f"  {username:<12} (not the demo password: it was changed)"
        return f"  {username:<12} {password}"

    lines = [
        "Demo roundtable join code: " + DEMO_JOIN_CODE,
        "Demo staff logins (username / password):",
        *(login(username, password) for username, _name, _roles, password in DEMO_STAFF),
    ]
    return "\n".join(lines)
