"""Editors manage bilingual themes through HTTP: add, rename, remove (detaching only when confirmed)."""

from __future__ import annotations

import re

import pytest

from roundtable.db import db
from roundtable.models import Theme
from roundtable.services import curation, moderation, withdrawal
from tests.conftest import hidden_fields_of
from tests.editor.conftest import quote_of


def token(page, prefix=""):
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_add_rename_and_remove_a_theme(desk):
    page = desk.get("/editor/themes")
    desk.post("/editor/themes", data={"name_fil": "Paghilom", "name_en": "Healing", "csrf_token": token(page)})
    theme = db.session.query(Theme).one()
    assert (theme.name_fil, theme.name_en) == ("Paghilom", "Healing")

    page = desk.get("/editor/themes")
    prefix = f"rename{theme.id}"
    desk.post(f"/editor/themes/{theme.id}/rename", data={
        f"{prefix}-name_fil": "Paggaling", f"{prefix}-name_en": "Recovery", f"{prefix}-csrf_token": token(page, prefix),
    })
    db.session.refresh(theme)
    assert (theme.name_fil, theme.name_en) == ("Paggaling", "Recovery")
    body = desk.get("/editor/themes").get_data(as_text=True)
    assert '<span lang="fil">Paggaling</span> / <span lang="en">Recovery</span>' in body

    page = desk.get("/editor/themes")
    prefix = f"remove{theme.id}"
    desk.post(f"/editor/themes/{theme.id}/remove", data={f"{prefix}-csrf_token": token(page, prefix)})
    assert db.session.query(Theme).count() == 0


def test_a_refused_rename_shows_its_form_open_with_what_was_typed_and_why_beside_the_name_taken(editor, desk):
    healing = curation.add_theme(editor, "Healing", "Paghilom")
    courts = curation.add_theme(editor, "Courts", "Mga korte")
    db.session.commit()
    desk.get("/language/en")
    page = desk.get("/editor/themes")
    prefix = f"rename{courts.id}"

    refused = desk.post(f"/editor/themes/{courts.id}/rename", data={
        f"{prefix}-name_fil": "Paghilom", f"{prefix}-name_en": "Courts and healing",
        f"{prefix}-csrf_token": token(page, prefix)})

    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    form = html[html.index(f'action="/editor/themes/{courts.id}/rename"'):]
    form = form[:form.index("</form>")]
    assert 'value="Courts and healing"' in form and 'value="Paghilom"' in form
    fil_field = form[form.index(f'{prefix}-name_fil'):form.index(f'{prefix}-name_en')]
    assert "A theme with that name exists already." in fil_field, "said beside the Filipino name, which is taken"
    assert re.search(rf'<li id="theme-{courts.id}">.*?<details open>', html, re.S)
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert html.index('class="error-summary"') < html.index('<ul class="items themes">'), "read first, on top"
    assert f'<a href="#{prefix}-name_fil">' in summary, "and it leads to the field, far down a long list"
    db.session.refresh(courts)
    assert (courts.name_en, courts.name_fil, healing.name_fil) == ("Courts", "Mga korte", "Paghilom")


def test_a_theme_in_use_is_removed_only_with_confirmation(make, editor, desk):
    courts = curation.add_theme(editor, "Courts", "Mga korte")
    db.session.commit()
    quote = quote_of(editor, make.reflection(), themes=[courts])
    prefix = f"remove{courts.id}"

    desk.get("/language/en")
    page = desk.get("/editor/themes")
    assert f'name="{prefix}-detach"' in page.get_data(as_text=True)
    refused = desk.post(f"/editor/themes/{courts.id}/remove", data={f"{prefix}-csrf_token": token(page, prefix)})
    theme_id = courts.id
    assert db.session.query(Theme).filter_by(id=theme_id).count() == 1
    # Said beside the box of the theme it is about, and in a summary, read first, that leads to it.
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f'<a href="#{prefix}-detach">Also take “Courts” off the quotes that carry it: 1 quote carries this theme.' in (
        html.split('class="error-summary"')[1])
    assert f'aria-describedby="{prefix}-detach-error" aria-invalid="true" id="{prefix}-detach"' in html

    page = desk.get("/editor/themes")
    desk.post(f"/editor/themes/{theme_id}/remove", data={f"{prefix}-csrf_token": token(page, prefix), f"{prefix}-detach": "y"})
    assert db.session.query(Theme).filter_by(id=theme_id).count() == 0
    db.session.refresh(quote)
    assert quote.themes == [] and quote.status == "approved"


def test_a_quote_carries_any_number_of_themes(make, editor, desk):
    themes = [curation.add_theme(editor, f"Theme {n}", f"Tema {n}") for n in range(3)]
    db.session.commit()
    quote = quote_of(editor, make.reflection(), approve=False)
    page = desk.get(f"/editor/quotes/{quote.id}")
    body = page.get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', body).group(1)
    desk.post(f"/editor/quotes/{quote.id}", data={
        "csrf_token": token(page), "version": version, "text": quote.text, "language": "en", "translation": "",
        "descriptor": "survivor leader", "themes": [str(t.id) for t in themes],
    })
    db.session.refresh(quote)
    assert sorted(t.id for t in quote.themes) == sorted(t.id for t in themes)


def test_the_themes_list_comes_in_pages_and_an_action_returns_to_its_page(editor, desk):
    for n in range(55):
        curation.add_theme(editor, f"Theme {n:02d}", f"Tema {n:02d}")
    db.session.commit()
    first = desk.get("/editor/themes").get_data(as_text=True)
    assert first.count('<li id="theme-') == 50 and "Theme 49" in first and "Theme 50" not in first
    assert 'href="/editor/themes?page=2"' in first

    page = desk.get("/editor/themes?page=2")
    body = page.get_data(as_text=True)
    assert body.count('<li id="theme-') == 5 and "Theme 54" in body
    last = db.session.query(Theme).filter_by(name_en="Theme 54").one()
    prefix = f"rename{last.id}"
    assert f'action="/editor/themes/{last.id}/rename?page=2"' in body
    response = desk.post(f"/editor/themes/{last.id}/rename?page=2", data={
        f"{prefix}-name_fil": "Tema 54", f"{prefix}-name_en": "Theme 54, renamed", f"{prefix}-csrf_token": token(page, prefix),
    })
    assert response.status_code == 302 and response.headers["Location"].endswith("/editor/themes?page=2")
    renamed = desk.get(response.headers["Location"]).get_data(as_text=True)  # said in its place, which takes the focus
    assert re.search(rf'<li id="theme-{last.id}">[^<]*<p>.*?</p>\s*<div class="messages" role="status" tabindex="-1" '
                     r'autofocus><p class="flash message">Theme renamed.</p>', renamed, re.S)

    # Past the last page (its last theme was just removed, say): the last page that has themes.
    assert desk.get("/editor/themes?page=3").headers["Location"].endswith("/editor/themes?page=2")
    assert desk.get("/editor/themes?page=2").status_code == 200


def test_a_new_theme_refused_on_a_page_past_the_end_keeps_what_was_typed(editor, desk):
    curation.add_theme(editor, "Courts", "Mga korte")
    db.session.commit()
    page = desk.get("/editor/themes")
    refused = desk.post("/editor/themes?page=2", data={"name_en": "Healing after court", "name_fil": "",
                                                        "csrf_token": token(page)})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'value="Healing after court"' in body, "shown again, not sent away"
    assert db.session.query(Theme).count() == 1


def test_how_many_quotes_carry_a_theme_is_counted_for_the_themes_asked_about(make, editor):
    courts, healing = (curation.add_theme(editor, en, fil) for en, fil in (("Courts", "Mga korte"), ("Healing", "Paghilom")))
    db.session.commit()
    quote_of(editor, make.reflection(), themes=[courts, healing])
    quote_of(editor, make.reflection(), themes=[courts])
    assert curation.theme_usage([courts.id, healing.id]) == {courts.id: 2, healing.id: 1}
    assert curation.theme_usage([healing.id]) == {healing.id: 1}
    assert curation.theme_usage([]) == {}


def test_a_withdrawn_quote_is_not_counted_and_does_not_hold_up_removing_its_theme(make, editor, desk):
    courts = curation.add_theme(editor, "Courts", "Mga korte")
    db.session.commit()
    quote = quote_of(editor, make.reflection(), themes=[courts])
    withdrawal.withdraw_quote(quote, actor=quote.reflection.participant)
    db.session.commit()

    assert curation.theme_usage([courts.id]) == {}
    desk.get("/language/en")
    assert "0 quotes" in desk.get("/editor/themes").get_data(as_text=True)
    curation.remove_theme(editor, courts)  # no confirmation asked about words that are gone
    db.session.commit()
    assert db.session.get(Theme, courts.id) is None


def test_a_quote_of_a_held_reflection_is_counted_nowhere(make, editor, desk):
    courts = curation.add_theme(editor, "Courts", "Mga korte")
    db.session.commit()
    quote = quote_of(editor, make.reflection(), themes=[courts])
    reflection = quote.reflection
    facilitator = reflection.participant.roundtable.facilitator
    moderation.decide(facilitator, reflection, "hold", read=moderation.read_mark(reflection))
    db.session.commit()

    assert curation.theme_usage([courts.id]) == {}
    desk.get("/language/en")
    assert "0 quotes" in desk.get("/editor/themes").get_data(as_text=True)


def test_themes_are_listed_in_the_order_of_their_names_in_the_readers_language(editor, desk):
    import re

    from roundtable.db import db
    from roundtable.services import curation

    curation.add_theme(editor, "Courts", "Mga korte")
    curation.add_theme(editor, "Family", "Ang pamilya")
    db.session.commit()

    def order(language):
        desk.get(f"/language/{language}")
        html = desk.get("/editor/export").get_data(as_text=True)
        return [name for name in re.findall(r"<option value=\"\d+\">([^<]+)</option>", html)
                if name in ("Courts", "Family", "Mga korte", "Ang pamilya")]

    assert order("en") == ["Courts", "Family"]
    assert order("fil") == ["Ang pamilya", "Mga korte"]


# Names with capitals, accents and neither, that code points order "Courts, Video-recorded interviews, bold, Édukasyon".
ALIKE_BUT_FOR_CAPITALS_AND_ACCENTS = [("Video-recorded interviews", "Mga panayam na naka-video"), ("bold", "matapang"),
                                      ("Édukasyon", "Edukasyon"), ("hope", "Pag-asa"), ("Courts", "mga korte")]
IN_ENGLISH = ["bold", "Courts", "Édukasyon", "hope", "Video-recorded interviews"]
IN_FILIPINO = ["Edukasyon", "matapang", "mga korte", "Mga panayam na naka-video", "Pag-asa"]


@pytest.mark.parametrize(("language", "expected"), [("en", IN_ENGLISH), ("fil", IN_FILIPINO)])
def test_themes_are_in_alphabetical_order_whatever_their_capitals_and_accents_on_every_page(
        make, editor, desk, language, expected):
    """Lowercase and accented names came after "Video-recorded interviews" (QA)."""
    themes = [curation.add_theme(editor, name_en, name_fil) for name_en, name_fil in ALIKE_BUT_FOR_CAPITALS_AND_ACCENTS]
    quote = quote_of(editor, make.reflection(), themes=themes)
    desk.get(f"/language/{language}")

    def named(html: str) -> list[str]:
        return sorted(expected, key=html.index)

    filters = desk.get("/editor/export").get_data(as_text=True)
    assert named(filters.split('name="theme"', 1)[1]) == expected
    boxes = desk.get(f"/editor/quotes/{quote.id}").get_data(as_text=True)
    assert named(boxes.split('id="themes"', 1)[1]) == expected
    assert re.findall(r'<span class="tag">([^<]+)</span>', desk.get("/editor/quotes").get_data(as_text=True)) == expected
    listed = re.findall(rf'<span lang="{language}">([^<]+)</span>', desk.get("/editor/themes").get_data(as_text=True))
    assert listed == expected


def test_the_summary_and_a_quotes_tags_follow_the_readers_language_too(make, editor, desk):
    import re

    from roundtable.db import db
    from roundtable.services import curation
    from tests.editor.conftest import quote_of

    courts = curation.add_theme(editor, "Courts", "Mga korte")
    family = curation.add_theme(editor, "Family", "Ang pamilya")
    quote_of(editor, make.reflection(), themes=[courts, family])  # an English quote
    db.session.commit()
    desk.get("/language/fil")

    summary = desk.get("/editor/summary").get_data(as_text=True)
    tags = desk.get("/editor/quotes").get_data(as_text=True)

    rows = re.findall(r'<th scope="row">([^<]+)</th>', summary)
    assert rows.index("Ang pamilya") < rows.index("Mga korte")
    assert tags.index(">Ang pamilya</span>") < tags.index(">Mga korte</span>")


def test_two_themes_renamed_at_once_take_their_authors_turns_in_one_order(app, make, editor, desk, login,
                                                                          monkeypatch):
    """Each rename waits for the authors of the quotes it carries (who approve their themes too): taken in the
    quotes' order, two renames over the same authors in opposite orders deadlocked (a 503 for one)."""
    from roundtable.services import curation
    from tests.deployment.live import at_once

    import time

    from roundtable.services import participation

    waits = participation.wait_for_the_author

    def slowly(reflection):  # each author's turn held a moment: the other rename's turn to take the next
        waits(reflection)
        time.sleep(0.05)

    monkeypatch.setattr(participation, "wait_for_the_author", slowly)
    authors = [make.participant(grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
               for _ in range(6)]
    first, second = curation.add_theme(editor, "Healing", "Paghilom"), curation.add_theme(editor, "Courts", "Korte")
    for theme, order in ((first, authors), (second, authors[::-1])):  # quote ids run one way, then the other
        for author in order:
            quote = make.quote(make.reflection(author), editor=editor)  # put to its author, who approves themes
            quote.themes = [theme]
    db.session.commit()
    other = app.test_client()
    login(make.user("editor"), on=other)
    sends = []
    for browser, theme, names in ((desk, first, ("Healing together", "Paghilom nang sama-sama")),
                                  (other, second, ("Courts that listen", "Korteng nakikinig"))):
        page = browser.get("/editor/themes")
        form = {f"rename{theme.id}-{key}": value for key, value in hidden_fields_of(page).items()
                if key.startswith(f"rename{theme.id}-")}
        form.update({f"rename{theme.id}-name_en": names[0], f"rename{theme.id}-name_fil": names[1]})
        sends.append(lambda browser=browser, theme=theme, form=form: browser.post(
            f"/editor/themes/{theme.id}/rename", data=form))

    answers = at_once(*sends)

    assert [answer.status_code for answer in answers] == [302, 302]


def test_a_rename_waiting_for_an_author_goes_on_with_what_the_author_left(app, make, editor, desk):
    """The author's change (here taking their quote back) commits while the rename waits at their row: the rename
    then reads the quotes as they are now, instead of writing over a version that moved (a 409)."""
    import threading
    import time

    from sqlalchemy import update

    from roundtable.models import Participant, Quote
    from roundtable.services import participation

    author = make.participant(grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    healing = curation.add_theme(editor, "Healing", "Paghilom")
    quote = make.quote(make.reflection(author), editor=editor)
    quote.themes = [healing]
    db.session.commit()
    page = desk.get("/editor/themes")
    form = {key: value for key, value in hidden_fields_of(page).items() if key.startswith(f"rename{healing.id}-")}
    form.update({f"rename{healing.id}-name_en": "Healing together", f"rename{healing.id}-name_fil": "Paghilom"})
    answers = []

    with app.app_context():  # the author's change, in a request of its own
        participation.take_turn(db.session.get(Participant, author.id))
        rename = threading.Thread(target=lambda: answers.append(
            desk.post(f"/editor/themes/{healing.id}/rename", data=form)))
        rename.start()
        time.sleep(0.5)  # the rename is waiting at the author's row now
        db.session.execute(update(Quote).where(Quote.id == quote.id)
                           .values(status="withdrawn", version_id=Quote.version_id + 1))
        db.session.commit()
        rename.join(timeout=30)

    assert [answer.status_code for answer in answers] == [302]


@pytest.mark.parametrize("language, named", [("en", "Also take “{}” off the quotes that carry it"),
                                             ("fil", "Tanggalin din ang “{}” sa mga siping mayroon nito")])
def test_each_box_that_takes_a_theme_off_its_quotes_names_its_theme(make, editor, desk, language, named):
    courts, healing = curation.add_theme(editor, "Courts", "Mga korte"), curation.add_theme(editor, "Healing", "Paghilom")
    db.session.commit()
    quote_of(editor, make.reflection(), themes=[courts, healing])
    desk.get(f"/language/{language}")

    html = desk.get("/editor/themes").get_data(as_text=True)

    for theme in (courts, healing):
        assert f'<label for="remove{theme.id}-detach">{named.format(theme.name(language))}</label>' in html
