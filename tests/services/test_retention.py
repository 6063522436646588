"""Retention: past its date a roundtable's words are erased, except the source of a quote still in use."""

from datetime import date, timedelta

from sqlalchemy import select

from roundtable.db import db
from roundtable.models import AuditEvent
from roundtable.services import consent, retention


def _after(roundtable, days=1):
    return roundtable.retention_until + timedelta(days=days)


def test_nothing_is_erased_before_the_retention_date(make):
    reflection = make.reflection()
    assert retention.purge_expired(reflection.participant.roundtable.retention_until) == []
    assert reflection.text is not None


def test_words_past_retention_are_erased_except_behind_an_allowed_quote(make):
    participant = make.participant()
    roundtable = participant.roundtable
    quoted = make.reflection(participant)
    quote = make.quote(quoted)
    unquoted = make.reflection(participant, text="Healing takes time.")
    draft = make.reflection(participant, status="draft", text="Still thinking.")
    withdrawn_quote = make.quote(make.reflection(participant, text="Police should explain."), approve=False)

    plans = retention.purge_expired(_after(roundtable))
    db.session.commit()

    assert [p.roundtable.id for p in plans] == [roundtable.id]
    assert quoted.text is not None and quoted.status == "released" and quote.status == "approved"
    for erased in (unquoted, draft, withdrawn_quote.reflection):
        assert erased.text is None and erased.status == "purged"
    assert withdrawn_quote.status == "withdrawn" and withdrawn_quote.text is None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purged")).all()
    assert [(e.target_type, e.target_id) for e in events] == [("roundtable", roundtable.id)]


def test_a_quote_whose_author_revoked_consent_no_longer_keeps_its_source(make):
    participant = make.participant()
    reflection = make.reflection(participant)
    make.quote(reflection)
    consent.change_clause(participant, "quote_publicly", grant=False)
    db.session.commit()

    retention.purge_expired(_after(participant.roundtable))
    assert reflection.text is None and reflection.status == "purged"


def test_a_dry_run_changes_nothing_and_a_second_run_finds_nothing(make):
    reflection = make.reflection()
    roundtable = reflection.participant.roundtable
    plans = retention.purge_expired(_after(roundtable), dry_run=True)
    assert plans[0].reflection_ids == (reflection.id,)
    assert reflection.text is not None
    retention.purge_expired(_after(roundtable))
    db.session.commit()
    assert retention.purge_expired(_after(roundtable)) == []


def test_the_command_lists_and_then_purges(app, make):
    reflection = make.reflection()
    roundtable = reflection.participant.roundtable
    roundtable.retention_until = date.today() - timedelta(days=1)  # as if the date had passed
    db.session.commit()
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["purge-expired", "--dry-run"])
    assert dry.exit_code == 0 and f"roundtable {roundtable.id}: would erase 1 reflection" in dry.output
    db.session.expire_all()
    assert reflection.text is not None

    real = runner.invoke(args=["purge-expired"])
    assert real.exit_code == 0 and "erased 1 reflection" in real.output
    db.session.expire_all()
    assert reflection.text is None and reflection.status == "purged"
    assert "Nothing is past" in runner.invoke(args=["purge-expired"]).output


def test_what_waits_to_be_erased_is_counted_as_the_purge_decides_it(make):
    participant = make.participant()
    roundtable = participant.roundtable
    make.quote(make.reflection(participant))  # approved and allowed: its source is kept
    make.reflection(participant, text="Healing takes time.")
    make.reflection(participant, status="draft", text="Still thinking.")
    later = make.participant(make.roundtable())  # its date is later: not waiting yet
    later.roundtable.retention_until = _after(roundtable, 30)
    make.reflection(later)
    db.session.commit()
    today = _after(roundtable)

    (row,) = retention.waiting(today).items
    (plan,) = retention.purge_expired(today, dry_run=True)
    assert (row.id, row.to_erase, row.kept) == (roundtable.id, len(plan.reflection_ids), len(plan.kept_ids)) == (
        roundtable.id, 2, 1)
    assert [r.id for r in retention.upcoming(today)] == [later.roundtable.id]

    retention.purge_expired(today)
    db.session.commit()
    assert retention.waiting(today).items == [], "only the kept source is left, and it is not waiting"
    assert retention.last_erasure().target_id == roundtable.id


def test_a_purge_an_administrator_asks_for_is_audited_as_theirs(make):
    admin = make.user("admin")
    reflection = make.reflection()
    retention.purge_expired(_after(reflection.participant.roundtable), actor=admin)
    event = retention.last_erasure()
    assert (event.actor_type, event.actor_id) == ("staff", admin.id)
