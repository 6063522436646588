"""Acceptance: whatever survivors, facilitators and editors do, in any order, nothing leaks.

A hypothesis state machine drives random sequences of the things people do (write, moderate,
quote, review, change consent, change the consent form, withdraw, erase, export, purge) and,
after every step, checks three promises against an oracle written independently of the rule:

1. no export holds a quote whose author did not, at that moment, grant ``quote_publicly`` and,
   where they asked to review quotes, approve that exact revision;
2. no staff list and no export shows words of a withdrawn participant;
3. consent history only grows: earlier records keep their ids and their grants.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import event, select, text

from roundtable.db import db
from roundtable.models import ConsentGrant, ConsentRecord, Participant, Quote, Reflection
from roundtable.services import (
    accounts, consent, curation, exports, moderation, participation, retention, review, roundtables, withdrawal,
)
from roundtable.services.errors import RuleViolation

TEXTS = (
    "The court should let children speak from a safe room.",
    "Judges need to listen before they decide anything about us.",
    "Healing takes time and the process should not rush survivors.",
    "Police should explain every step of the case in plain words.",
)
OPTIONAL = ("internal_use", "quote_publicly", "review_quotes", "share_with_partners")
MACHINE_SETTINGS = settings(
    max_examples=80, stateful_step_count=50, deadline=None,
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.filter_too_much),
)
pick = st.integers(min_value=0, max_value=30)


def _allowed_at_export(quote: Quote) -> bool:
    """Written apart from services.consent on purpose: the promise in plain Python."""
    reflection = db.session.get(Reflection, quote.reflection_id)
    author = db.session.get(Participant, reflection.participant_id)
    newest = db.session.scalar(
        select(ConsentRecord).where(ConsentRecord.participant_id == author.id).order_by(ConsentRecord.id.desc()).limit(1)
    )
    grants = newest.granted_keys if newest else frozenset()
    return (
        author.withdrawn_at is None
        and reflection.status == "released"
        and quote.status == "approved"
        and quote.text is not None
        and "quote_publicly" in grants
        and ("review_quotes" not in grants or quote.participant_approved_revision == quote.revision)
    )


class ConsentMachine(RuleBasedStateMachine):
    app = None  # set by the test below
    steps = 0  # across all examples: how much was really played
    exported_rows = 0
    checked_quotes = 0

    def __init__(self) -> None:
        super().__init__()
        db.session.rollback()
        for table in self.app.config["ALL_TABLES"]:
            db.session.execute(text(f'DELETE FROM "{table}"'))
        db.session.commit()
        self.history: dict[int, tuple[int, int, frozenset[str]]] = {}
        self.withdrawn: set[int] = set()
        self.changed = True

    @initialize()
    def setup(self) -> None:
        facilitator = accounts.create_user("facilitator", "Facilitator", {"facilitator"}, "a long test password 1")
        editor = accounts.create_user("editor", "Editor", {"editor"}, "a long test password 1")
        roundtable = roundtables.create(
            facilitator, title_en="Courts that listen", title_fil="Mga korteng nakikinig",
            description_en="", description_fil="", retention_until=date.today() + timedelta(days=30),
            prompts=[("What should courts do?", "Ano ang dapat gawin ng mga korte?")],
        )
        roundtables.set_status(roundtable, facilitator, "open")
        db.session.flush()
        self.facilitator_id, self.editor_id, self.roundtable_id = facilitator.id, editor.id, roundtable.id
        self.participant_ids = []
        for n, grants in enumerate(({"quote_publicly"}, {"quote_publicly", "review_quotes"}, {"quote_publicly"}, set())):
            participant, _ = participation.join(
                roundtable, language="en", pseudonym=f"Bituin {n}",
                granted={"take_part", "store_words"} | grants, adult_confirmed=True,
            )
            self.participant_ids.append(participant.id)
            reflection = participation.save_reflection(
                participant, roundtable.prompts[0], text=TEXTS[n % len(TEXTS)], language="en", submit=True,
                idempotency_key=uuid.uuid4().hex,
            )
            moderation.decide(facilitator, reflection, "release", read=moderation.read_mark(reflection))
            if n == 0:  # every example starts with one quote already out in the world
                quote = curation.create_quote(
                    editor, reflection, text=reflection.text, language="en", translation=None,
                    translation_language=None, descriptor="survivor leader",
                )
                curation.approve(editor, quote)
        db.session.commit()

    # --- helpers ---------------------------------------------------------------------------

    @property
    def facilitator(self):
        from roundtable.models import User

        return db.session.get(User, self.facilitator_id)

    @property
    def editor(self):
        from roundtable.models import User

        return db.session.get(User, self.editor_id)

    def _participant(self, n: int) -> Participant:
        return db.session.get(Participant, self.participant_ids[n % len(self.participant_ids)])

    def _pick(self, model, n: int):
        ids = db.session.scalars(select(model.id).order_by(model.id)).all()
        return db.session.get(model, ids[n % len(ids)]) if ids else None

    def _attempt(self, action) -> None:
        """Run one action as a view would: commit on success, roll back when a rule says no."""
        try:
            action()
        except RuleViolation:
            db.session.rollback()
        else:
            db.session.commit()
            self.changed = True

    # --- what people do ----------------------------------------------------------------------

    @rule(grants=st.sets(st.sampled_from(OPTIONAL)))
    def join(self, grants):
        from roundtable.models import Roundtable

        if len(self.participant_ids) >= 8:
            return
        roundtable = db.session.get(Roundtable, self.roundtable_id)
        offered = {c.key for c in roundtable.current_clauses()}

        def join():
            participant, _ = participation.join(
                roundtable, language="fil", pseudonym=f"Tala {len(self.participant_ids)}",
                granted={"take_part", "store_words"} | (set(grants) & offered), adult_confirmed=True,
            )
            self.participant_ids.append(participant.id)

        self._attempt(join)

    @rule(who=pick, which=pick, then=st.sampled_from(("submit", "release", "hold", "quote", "quote")))
    def submit(self, who, which, then):
        live = db.session.scalars(
            select(Participant.id).where(Participant.withdrawn_at.is_(None)).order_by(Participant.id)
        ).all()
        if not live:
            return
        participant = db.session.get(Participant, live[who % len(live)])
        prompt = participant.roundtable.prompts[0]

        def write():
            reflection = participation.save_reflection(
                participant, prompt, text=TEXTS[which % len(TEXTS)], language="en", submit=True,
                idempotency_key=uuid.uuid4().hex,
            )
            if then != "submit":
                decision = "hold" if then == "hold" else "release"
                moderation.decide(self.facilitator, reflection, decision, read=moderation.read_mark(reflection))
            if then == "quote" and consent.may_quote_reflection(reflection):
                quote = curation.create_quote(
                    self.editor, reflection, text=reflection.text, language="en", translation=None,
                    translation_language=None, descriptor="survivor leader",
                )
                curation.approve(self.editor, quote)

        self._attempt(write)

    @rule(which=pick, release=st.booleans())
    def moderate(self, which, release):
        reflection = self._pick(Reflection, which)
        if reflection is None:
            return
        def decide():
            item = moderation.get(self.facilitator, reflection.id)
            moderation.decide(self.facilitator, item, "release" if release else "hold", read=moderation.read_mark(item))

        self._attempt(decide)

    @rule(which=pick, words=st.integers(min_value=3, max_value=8), approve=st.booleans())
    def create_quote(self, which, words, approve):
        quotable = curation.reflections(per_page=1000).items
        if not quotable:
            return
        source = curation.reflection(quotable[which % len(quotable)].id)

        def create():
            excerpt = " ".join(source.text.split()[:words])
            quote = curation.create_quote(
                self.editor, source, text=excerpt, language="en", translation=None,
                translation_language=None, descriptor="survivor leader",
            )
            if approve:
                curation.approve(self.editor, quote)

        self._attempt(create)

    @rule(which=pick)
    def editor_approves(self, which):
        quote = self._pick(Quote, which)
        if quote is not None:
            self._attempt(lambda: curation.approve(self.editor, curation.quote(quote.id)))

    @rule(which=pick, version=st.integers(min_value=1, max_value=5))
    def edit_quote(self, which, version):
        quote = self._pick(Quote, which)
        if quote is None:
            return

        def edit():
            target = curation.quote(quote.id)
            curation.update_quote(
                self.editor, target, expected_version=target.version_id, text=target.text, language="en",
                translation=f"Salin bilang {version}", translation_language="fil", descriptor="survivor leader",
            )

        self._attempt(edit)

    @rule(which=pick, approve=st.booleans(), stale=st.booleans())
    def author_responds(self, which, approve, stale):
        quote = self._pick(Quote, which)
        if quote is None:
            return
        author = db.session.get(Reflection, quote.reflection_id).participant
        if author.withdrawn_at is not None:
            return
        shown = quote.revision - 1 if stale else quote.revision
        self._attempt(lambda: review.respond(
            author, review.own_quote(author, quote.id), approve=approve, comment="Salamat", revision=shown
        ))

    @rule(who=pick, key=st.sampled_from(OPTIONAL + ("take_part",)), grant=st.booleans())
    def change_clause(self, who, key, grant):
        participant = self._participant(who)
        if participant.withdrawn_at is None:
            self._attempt(lambda: consent.change_clause(participant, key, grant=grant))

    @rule(drop=st.sets(st.sampled_from(OPTIONAL)), review_required=st.booleans())
    def new_consent_version(self, drop, review_required):
        from roundtable.models import Roundtable

        roundtable = db.session.get(Roundtable, self.roundtable_id)
        drafts = [consent.ClauseDraft("take_part", "I take part.", "Nakikilahok ako.", True),
                  consent.ClauseDraft("store_words", "Keep my words.", "Itago ang aking mga salita.", True)]
        drafts += [consent.ClauseDraft(key, f"I agree: {key}.", f"Sang-ayon ako: {key}.", False)
                   for key in OPTIONAL if key not in drop]
        self._attempt(lambda: consent.new_form_version(roundtable, self.facilitator, drafts,
                                                                seen=roundtable.consent_version))

    @rule(who=pick, grants=st.sets(st.sampled_from(OPTIONAL + ("quote_publicly",) * 3)))
    def consent_again(self, who, grants):
        participant = self._participant(who)
        if participant.withdrawn_at is not None:
            return
        offered = {c.key for c in participant.roundtable.current_clauses()}
        self._attempt(lambda: consent.record_consent(
            participant, {"take_part", "store_words"} | (set(grants) & offered), adult_confirmed=True
        ))

    @rule(which=pick)
    def delete_reflection(self, which):
        reflection = self._pick(Reflection, which)
        if reflection is not None:
            self._attempt(lambda: withdrawal.delete_reflection(reflection.participant, reflection))

    @rule(who=pick, erase=st.booleans(), sure=st.integers(min_value=0, max_value=5))
    def withdraw_all(self, who, erase, sure):
        if sure:  # people rarely leave altogether: let the other steps play out too
            return
        participant = self._participant(who)
        self.withdrawn.add(participant.id)
        self._attempt(lambda: withdrawal.withdraw_all(participant, erase=erase))

    @rule()
    def export(self):
        ids = exports.exportable_ids(exports.QuoteFilters())
        if not ids:  # nothing to export: refused, and nothing recorded
            with pytest.raises(RuleViolation):
                exports.record(self.editor, "csv", exports.QuoteFilters())
            db.session.rollback()
            return
        record = exports.record(self.editor, "csv", exports.QuoteFilters())
        rows = list(exports.rows(record, "en"))
        db.session.commit()
        assert [row.quote_id for row in rows] == ids
        for row in rows:
            quote = db.session.get(Quote, row.quote_id)
            assert _allowed_at_export(quote), f"export carried quote {quote.id} the author does not allow"
            assert row.text == quote.text
        ConsentMachine.exported_rows += len(rows)
        self.changed = True

    @rule(days_later=st.integers(min_value=0, max_value=2))
    def purge(self, days_later):
        from roundtable.models import Roundtable

        roundtable = db.session.get(Roundtable, self.roundtable_id)
        retention.purge_expired(roundtable.retention_until + timedelta(days=days_later))
        db.session.commit()
        self.changed = True

    # --- what must always hold -----------------------------------------------------------------

    @invariant()
    def promises_hold(self):
        if not hasattr(self, "facilitator_id"):
            return
        ConsentMachine.steps += 1
        if not self.changed:  # the step changed nothing (a rule said no, or there was nothing to do)
            return
        self.changed = False
        grants_of: dict[int, set[str]] = {}
        for record_id, key in db.session.execute(select(ConsentGrant.record_id, ConsentGrant.clause_key)):
            grants_of.setdefault(record_id, set()).add(key)
        records = {
            record_id: (participant_id, version, frozenset(grants_of.get(record_id, ())))
            for record_id, participant_id, version in db.session.execute(
                select(ConsentRecord.id, ConsentRecord.participant_id, ConsentRecord.form_version)
            )
        }
        self._consent_history_only_grows(records)
        newest: dict[int, frozenset[str]] = {}
        for record_id in sorted(records):
            participant_id, _version, grants = records[record_id]
            newest[participant_id] = grants
        withdrawn = set(db.session.scalars(select(Participant.id).where(Participant.withdrawn_at.is_not(None))))
        assert self.withdrawn <= withdrawn

        # 1. exports hold only what authors allow right now (an oracle apart from services.consent)
        # Everything the one rule would let an export carry right now (exportable_ids holds back a subset
        # more, for unresolved identifying details; the ``export`` step checks real exports and their rows).
        exported = db.session.scalars(
            consent.quotes_with_authors().where(consent.exportable_quote()).with_only_columns(Quote.id)
        ).all()
        ConsentMachine.checked_quotes += len(exported)
        for quote in db.session.scalars(select(Quote).where(Quote.id.in_(exported))):
            reflection = db.session.get(Reflection, quote.reflection_id)
            grants = newest.get(reflection.participant_id, frozenset())
            assert reflection.participant_id not in withdrawn
            assert reflection.status == "released" and quote.status == "approved" and quote.text is not None
            assert "quote_publicly" in grants
            assert "review_quotes" not in grants or quote.participant_approved_revision == quote.revision

        # 2. no staff list shows words of a withdrawn participant (nothing to look for while nobody left)
        if not withdrawn:
            return
        seen = []
        facilitator = self.facilitator
        for status in moderation.MODERATION_STATUSES:
            seen += moderation.queue(facilitator, status=status, per_page=1000).items
        seen += curation.reflections(per_page=1000).items
        for reflection in seen:
            assert reflection.participant_id not in withdrawn and reflection.status not in ("withdrawn", "purged")
        for quote in curation.quotes(per_page=1000).items:
            assert quote.participant_id not in withdrawn and quote.status != "withdrawn"
        for quote in db.session.scalars(select(Quote).join(Reflection).where(Reflection.participant_id.in_(withdrawn))):
            assert quote.status == "withdrawn"

    def _consent_history_only_grows(self, records) -> None:
        """3. earlier records keep their ids and grants; new ones only come after them."""
        for record_id, before in self.history.items():
            assert records.get(record_id) == before, f"consent record {record_id} was rewritten"
        if self.history:
            assert min(set(records) - set(self.history), default=max(self.history) + 1) > max(self.history)
        self.history = records


def _no_fsync(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def test_no_sequence_of_actions_breaks_the_promises(app):
    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:  # thousands of commits: durability on a throwaway test file only costs time
        event.listen(db.engine, "connect", _no_fsync)
        db.engine.dispose()
    try:
        with app.test_request_context("/"):
            ConsentMachine.app = app
            run_state_machine_as_test(ConsentMachine, settings=MACHINE_SETTINGS)
            db.session.remove()
        print(f"{ConsentMachine.steps} steps, {ConsentMachine.checked_quotes} exportable quotes checked, "
              f"{ConsentMachine.exported_rows} exported rows")
        assert ConsentMachine.checked_quotes > 0, "the machine never had an exportable quote to check"
    finally:
        if sqlite:
            event.remove(db.engine, "connect", _no_fsync)
            db.engine.dispose()
