"""Shared set-up for the editor's pages: a signed-in editor and quotes in every state that matters."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from roundtable.db import db
from roundtable.services import consent, curation, moderation
from tests.conftest import hidden_fields_of, sensitive_words_saved


@pytest.fixture
def editor(make):
    return make.user("editor")


@pytest.fixture
def desk(app, editor, login):
    """A browser signed in as the editor."""
    browser = app.test_client()
    login(editor, on=browser)
    return browser


def approve_form_of(page) -> dict[str, str]:
    """What the quote page's Approve button sends: its token, and the revision of the words the page showed."""
    return {name: value for name, value in hidden_fields_of(page).items() if name.startswith("approve-")}


def quote_of(editor, reflection, *, text=None, translation=None, themes=(), approve=True):
    quote = curation.create_quote(
        editor, reflection, text=text or reflection.text, language=reflection.language,
        translation=translation, translation_language=None, descriptor="survivor leader", themes=list(themes),
    )
    if approve:
        curation.approve(editor, quote)
    db.session.commit()
    return quote


@dataclass
class Shelf:
    fil: object
    en: object
    draft: object
    revoked: object
    held: object
    unresolved: object
    courts: object
    roundtable: object

    @property
    def exportable(self):
        return [self.fil, self.en]

    @property
    def never(self):
        return [self.draft, self.revoked, self.held, self.unresolved]


@pytest.fixture
def shelf(make, editor) -> Shelf:
    """Two exportable quotes and four that must never leave: draft, revoked, held, undecided detail."""
    courts = curation.add_theme(editor, "Courts", "Mga korte")
    db.session.commit()
    roundtable = make.roundtable()
    author = make.participant(roundtable)
    fil = quote_of(
        editor, make.reflection(author, text="Sana makinig ang korte sa mga bata, para gumaling kami.", language="fil"),
        translation="=1+1 is not how healing works; the court should listen to children.", themes=[courts],
    )
    en = quote_of(editor, make.reflection(author, text="A video-recorded interview spared me from telling it again."))
    draft = quote_of(editor, make.reflection(author, text="Plea bargaining should never be rushed."), approve=False)

    revoking = make.participant(roundtable)
    revoked = quote_of(editor, make.reflection(revoking, text="The judge let me rest between questions."), themes=[courts])
    consent.change_clause(revoking, "quote_publicly", grant=False)

    holding = make.participant(roundtable)
    held_reflection = make.reflection(holding, text="Healing began when the court believed me.")
    held = quote_of(editor, held_reflection, themes=[courts])
    moderation.decide(roundtable.facilitator, held_reflection, "hold", read=moderation.read_mark(held_reflection))

    unresolved = quote_of(editor, make.reflection(author, text="The judge who sat near the blue chapel listened to us."))
    sensitive_words_saved(editor, roundtable, "blue chapel")  # added after approval
    db.session.commit()
    return Shelf(fil, en, draft, revoked, held, unresolved, courts, roundtable)
