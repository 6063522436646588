"""Communications staff: read what the rule allows, build quotes, export."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from itertools import chain
from typing import IO

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, send_file, stream_with_context, url_for
from flask_babel import format_date, format_number, gettext as _, ngettext

from roundtable import clock
from roundtable.access import fresh_password_required, fresh_password_to_open, roles_required
from roundtable.changes import back_to_list_when_gone, change, field_named, flash_at
from roundtable.db import db
from roundtable.editor.forms import (
    ApproveForm, DiscardDraftForm, ExportForm, FindingKeepForm, FindingRedactForm, NewQuoteForm, NoticeAckForm,
    NoticesShownForm, QuoteForm, SensitiveTermsForm, ThemeForm, ThemeRemoveForm, ThemeRenameForm,
)
from roundtable.forms import say_saved_now
from roundtable.i18n import current_language, language_choices
from roundtable.models import Roundtable
from roundtable.models.quotes import LIVE_STATUSES
from roundtable.navigation import last_page_instead
from roundtable.numbers import number_arg
from roundtable.services import consent, curation, exports, fidelity, roundtables
from roundtable.services import notices as notice_service
from roundtable.services.errors import Conflict, Gone, RuleViolation
from roundtable.services.export_formats import ExportLabels, csv_chunks, json_chunks, write_docx, write_xlsx

bp = Blueprint("editor", __name__, url_prefix="/editor")
editor_only = roles_required("editor")
# A list's filters, search and page, carried in the address of a quote or reflection opened from it: its page, and
# the forms sent from it, lead back to the list as the editor left it. A quote just made from a reflection carries
# the reflections' list instead (``made_from``), so that the editor goes back to the next reflection to quote.
QUOTE_LIST = ("roundtable", "language", "status", "theme", "words", "page")
QUOTES_AS_LEFT = (*QUOTE_LIST, "made_from")
REFLECTIONS_AS_LEFT = ("roundtable", "language", "words", "page")
# Where a page a change leads to says it, taking the focus (as the facilitator's pages do): a quote's page under its
# number (made, saved, approved or sent to its author); its identifying details above their list (one replaced or
# kept, sensitive words saved from there), without a #fragment, which makes a browser skip the focus; the list a
# discarded draft leads back to, under its title; the themes under their title (added, removed), or a theme renamed
# in its place in the list; the sensitive words under their title; the notices above their list.
QUOTE = "quote"
FINDINGS = "findings"
LIST = "list"
THEMES = "themes"
SENSITIVE_WORDS = "sensitive-words"
NOTICES = "notices"


def _as_left(keys: tuple[str, ...]) -> dict[str, str]:
    # Only what a search looks for of its words travels: a long search typed by hand would otherwise make addresses
    # (and the language link, which carries the page's own) longer than a server takes.
    return {key: request.args[key][:curation.SEARCH_LIMIT] if key == "words" else request.args[key]
            for key in keys if request.args.get(key)}


@bp.app_template_global("quotes_as_left")
def quotes_as_left() -> dict[str, str]:
    return _as_left(QUOTES_AS_LEFT)


@bp.app_template_global("reflections_as_left")
def reflections_as_left() -> dict[str, str]:
    return _as_left(REFLECTIONS_AS_LEFT)


@bp.app_template_global("quote_list")
def quote_list() -> tuple[str, str]:
    """The address and name of the list a quote's page leads back to."""
    if request.args.get("made_from") == "reflections":
        return url_for("editor.reflections", **reflections_as_left()), _("Back to reflections")
    return url_for("editor.quotes", **_as_left(QUOTE_LIST)), _("Back to quotes")


# A form sent from the page of a reflection or quote that left the editors' sight meanwhile leads to its list.
back_to_reflections_when_gone = back_to_list_when_gone(lambda: url_for("editor.reflections", **reflections_as_left()))
back_to_quotes_when_gone = back_to_list_when_gone(lambda: quote_list()[0])

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filters() -> dict:
    language = request.args.get("language") or None
    return {
        "roundtable_id": request.args.get("roundtable", type=number_arg) or None,
        "language": language if language in ("fil", "en", "mixed") else None,
    }


def _search() -> dict:
    """The words an editor typed to look for (shown back in their box) and what of them is looked for."""
    words = request.args.get("words", "").strip()
    return {"words": words, "looked_for": curation.words_looked_for(words),
            "cut_short": len(words) > curation.SEARCH_LIMIT, "search_limit": curation.SEARCH_LIMIT,
            "searched_rows": curation.SEARCHED_ROWS}


@bp.get("/")
@editor_only
def reflections():
    search = _search()
    page = curation.reflections(**_filters(), words=search["looked_for"],
                                page=request.args.get("page", 1, type=number_arg))
    return render_template("editor/reflections.html", page=page, roundtables=roundtables.titles(), **search)


@bp.route("/reflections/<int:reflection_id>", methods=["GET", "POST"])
@editor_only
@back_to_reflections_when_gone
def reflection(reflection_id: int):
    source = curation.reflection(reflection_id)
    form = _quote_form(NewQuoteForm)
    if request.method == "GET":
        form.language.data = source.language
        form.descriptor.data = _("survivor leader")
    if form.validate_on_submit():
        with change(errors_on=field_named(form, otherwise=form.text), once=form, sent_twice_at=QUOTE) as outcome:
            quote = curation.create_quote(g.user, source, **_quote_fields(form))
            outcome.location = url_for("editor.quote", quote_id=quote.id, made_from="reflections",
                                       **reflections_as_left())
        if outcome.saved:
            flash_at(QUOTE, _("Quote saved as a draft."))
        if outcome.location:
            return redirect(outcome.location)
    check = fidelity.check(form.text.data or "", source.text or "") if form.text.data else None
    return render_template(
        "editor/reflection.html", reflection=source, form=form, check=check,
        said_no_to=consent.said_no_to(source.participant),
        segments=fidelity.highlight_segments(source.text or "", check.matched if check and check.ok else ()),
    )


@bp.get("/quotes")
@editor_only
def quotes():
    status = request.args.get("status") or None
    search = _search()
    page = curation.quotes(
        **_filters(), status=status, theme_id=request.args.get("theme", type=number_arg) or None,
        words=search["looked_for"], page=request.args.get("page", 1, type=number_arg),
    )
    return render_template(
        "editor/quotes.html", page=page, roundtables=roundtables.titles(), themes=curation.themes(current_language()),
        status=status, statuses=LIVE_STATUSES, **search,
    )


@bp.route("/quotes/<int:quote_id>", methods=["GET", "POST"])
@editor_only
@back_to_quotes_when_gone
def quote(quote_id: int):
    item = curation.quote(quote_id)
    form = _quote_form(QuoteForm, obj=item if request.method == "GET" else None)
    conflict = None
    if request.method == "GET":
        form.themes.data = [t.id for t in item.themes]
        form.version.data = item.version_id
    if form.validate_on_submit():
        was = item.status, item.revision
        try:
            curation.update_quote(
                g.user, item, expected_version=form.version.data, **_quote_fields(form)
            )
        except Conflict as problem:
            db.session.rollback()
            item = curation.quote(quote_id)
            conflict = item
            form.version.data = item.version_id
            flash(str(problem), "error")
        except Gone:
            raise
        except RuleViolation as problem:
            db.session.rollback()
            field = field_named(form, otherwise=form.text)(problem)
            field.errors = [*field.errors, str(problem)]
        else:
            db.session.commit()
            flash_at(QUOTE, _saved(item, *was))
            return redirect(url_for("editor.quote", quote_id=item.id, **quotes_as_left()))
    return _render_quote(item, form, conflict=conflict)


def _saved(item, was_status: str, was_revision: int) -> str:
    """“Quote saved”, and where the changed quote (its words, or how its author is named) now stands."""
    if item.revision == was_revision or was_status == "draft":
        return _("Quote saved.")
    if item.status == "awaiting_participant":
        return _("Quote saved. Its author is asked about it again, as it now reads.")
    if item.back_to_author:
        return _("Quote saved as a draft: its author sees it as it now reads once it is ready and you approve it.")
    return _("Quote saved. It is a draft again: approve it when it is ready.")


def _render_quote(item, form: QuoteForm, *, conflict=None, keep_forms: dict | None = None):
    result = curation.fidelity_of(item)
    states = curation.findings_of(item)
    keep_forms = keep_forms or {}
    finding_forms = []
    for state in states:
        redact = FindingRedactForm(prefix=f"redact{state.index}", formdata=None)
        redact.digest.data, redact.version.data = state.digest, item.version_id
        keep = keep_forms.get(state.index) or FindingKeepForm(prefix=f"keep{state.index}", formdata=None)
        keep.digest.data = state.digest
        finding_forms.append((state, redact, keep, curation.redaction_label_of(item, state)))
    return render_template(
        "editor/quote.html", quote=item, form=form, conflict=conflict,
        approve_form=ApproveForm(prefix="approve", formdata=None, data={"version": item.version_id}),
        discard_form=DiscardDraftForm(prefix="discard", formdata=None, data={"version": item.version_id})
        if curation.discardable(item) else None,
        fidelity_problem=curation.fidelity_message(result), editors_words=curation.editors_words(item),
        negations_left_out=curation.negations_left_out(item), marks_changed=curation.marks_changed(item),
        translation_problem=curation.translation_problem(item),
        segments=fidelity.highlight_segments(item.reflection.text or "", result.matched),
        finding_segments=curation.highlight_findings(item.text or "", [s for s in states if s.field == "text"]),
        translation_segments=curation.highlight_findings(
            item.translation or "", [s for s in states if s.field == "translation"]
        ),
        finding_forms=finding_forms, unresolved=[s for s in states if not s.resolved],
        past_retention=curation.past_retention(item.reflection),
        said_no_to=consent.said_no_to(item.reflection.participant),
        refused=[form for form in keep_forms.values() if form.errors],  # summarised at the top, which takes focus
    )


@bp.post("/quotes/<int:quote_id>/findings/<int:index>/redact")
@editor_only
@back_to_quotes_when_gone
def redact_finding(quote_id: int, index: int):
    item = curation.quote(quote_id)
    form = FindingRedactForm(prefix=f"redact{index}")
    if form.validate_on_submit():
        with change() as outcome:
            replaced = curation.redact_finding(
                g.user, item, index=index, digest=form.digest.data or "",
                expected_version=form.version.data,
            )
        if outcome.saved:
            flash_at(FINDINGS, ngettext("The detail was replaced by a label in %(num)d place.",
                                        "The detail was replaced by a label in %(num)d places.", replaced))
    return redirect(url_for("editor.quote", quote_id=quote_id, **quotes_as_left()))


@bp.post("/quotes/<int:quote_id>/findings/<int:index>/keep")
@editor_only
@back_to_quotes_when_gone
def keep_finding(quote_id: int, index: int):
    item = curation.quote(quote_id)
    form = FindingKeepForm(prefix=f"keep{index}")
    if form.validate_on_submit():
        with change(errors_on=form.reason) as outcome:
            curation.keep_finding(g.user, item, index=index, digest=form.digest.data or "", reason=form.reason.data)
        if outcome.saved:
            flash_at(FINDINGS, _("The detail stays, with your reason."))
            return redirect(url_for("editor.quote", quote_id=quote_id, **quotes_as_left()))
    quote_form = _quote_form(QuoteForm, obj=item)
    quote_form.themes.data = [t.id for t in item.themes]
    quote_form.version.data = item.version_id
    return _render_quote(item, quote_form, keep_forms={index: form}), 400


@bp.post("/quotes/<int:quote_id>/approve")
@editor_only
@back_to_quotes_when_gone
def approve(quote_id: int):
    item = curation.quote(quote_id)
    form = ApproveForm(prefix="approve")
    if form.validate_on_submit():
        try:
            curation.approve(g.user, item, seen_version=form.version.data)
        except curation.NotReady:
            # Its reasons quote the words, and a flashed message travels in the signed (readable) cookie: the
            # quote page shows them itself.
            db.session.rollback()
            flash(_("Not approved yet: this page shows what is left to do."), "error")
        except Gone:
            raise
        except RuleViolation as problem:
            db.session.rollback()
            flash(str(problem), "error")
        else:
            db.session.commit()
            flash_at(QUOTE, _("Quote approved.") if item.status == "approved" else _("Sent to the author for review."))
    return redirect(url_for("editor.quote", quote_id=quote_id, **quotes_as_left()))


@bp.post("/quotes/<int:quote_id>/discard")
@editor_only
@back_to_quotes_when_gone
def discard_draft(quote_id: int):
    item = curation.quote(quote_id)
    form = DiscardDraftForm(prefix="discard")
    if form.validate_on_submit():
        if form.confirmed.data != "yes" and curation.discardable(item):  # else refused below, saying why
            return render_template("editor/discard_draft.html", quote=item, form=form)
        with change() as outcome:
            curation.discard_draft(g.user, item, seen_version=form.version.data)
        if outcome.saved:
            flash_at(LIST, _("The draft was discarded."))
            return redirect(quote_list()[0])
    else:
        form.say_why_not()
    return redirect(url_for("editor.quote", quote_id=quote_id, **quotes_as_left()))


@bp.route("/themes", methods=["GET", "POST"])
@editor_only
def themes():
    form = ThemeForm()
    if form.validate_on_submit():
        with change(errors_on=field_named(form, otherwise=form.name_en), once=form, sent_twice_at=THEMES) as outcome:
            curation.add_theme(g.user, form.name_en.data, form.name_fil.data)
            outcome.location = url_for("editor.themes")
        if outcome.saved:
            flash_at(THEMES, _("Theme added."))
        if outcome.location:
            return redirect(outcome.location)
    return _themes_page(form)


def _themes_page(form: ThemeForm, refused: ThemeRenameForm | ThemeRemoveForm | None = None,
                 refused_id: int | None = None):
    """The page of the themes list asked for; a refused rename or removal is shown in its theme's place, with what
    was sent and why (a rename open, with what was typed, instead of the names as saved), and answers 400."""
    page = curation.theme_page(request.args.get("page", 1, type=number_arg), language=current_language())
    if (last := last_page_instead(page)) is not None:  # the last theme of the last page was removed
        return last
    rename_forms = {t.id: _rename_form(t) for t in page.items}
    remove_forms = {t.id: ThemeRemoveForm(t, formdata=None) for t in page.items}
    if refused_id not in rename_forms:
        refused = None
    elif refused is not None:
        (rename_forms if isinstance(refused, ThemeRenameForm) else remove_forms)[refused_id] = refused
    return render_template(
        "editor/themes.html", form=form, page=page, usage=curation.theme_usage([t.id for t in page.items]),
        rename_forms=rename_forms, remove_forms=remove_forms, refused=refused,
    ), 400 if refused else 200


def _back_to_themes():
    """Back to the page of the themes list the editor acted on (the forms carry its number), with no #fragment: the
    message there takes the focus."""
    return redirect(url_for("editor.themes", page=request.args.get("page", type=number_arg)))


def _theme_place(target) -> str:
    """Where the themes' page says what became of a theme renamed: in its place in the list, where the editor left
    it; at the top of the list when the new name took it to another page of the list."""
    page = curation.theme_page(request.args.get("page", 1, type=number_arg) or 1, language=current_language())
    return f"theme-{target.id}" if target in page.items else THEMES


def _rename_form(target) -> ThemeRenameForm:
    form = ThemeRenameForm(prefix=f"rename{target.id}", formdata=None)
    form.name_en.data, form.name_fil.data = target.name_en, target.name_fil
    return form


@bp.post("/themes/<int:theme_id>/rename")
@editor_only
def rename_theme(theme_id: int):
    target = curation.theme(theme_id)
    form = ThemeRenameForm(prefix=f"rename{theme_id}")
    if form.validate_on_submit():
        with change(errors_on=field_named(form, otherwise=form.name_en)) as outcome:
            again = curation.rename_theme(g.user, target, form.name_en.data, form.name_fil.data)
        if outcome.saved:
            place = _theme_place(target)
            flash_at(place, _("Theme renamed."))
            _say_put_to_authors_again(again, place)
            return _back_to_themes()
    # Refused: the page it was sent from, with this theme's form open and what was typed in it.
    return _themes_page(ThemeForm(formdata=None), refused=form, refused_id=theme_id)


@bp.post("/themes/<int:theme_id>/remove")
@editor_only
def remove_theme(theme_id: int):
    target = curation.theme(theme_id)
    form = ThemeRemoveForm(target)
    if form.validate_on_submit():
        with change(errors_on=form.detach) as outcome:
            detached, again = curation.remove_theme(g.user, target, detach=bool(form.detach.data))
        if outcome.saved:
            flash_at(THEMES, ngettext("Theme removed. It was taken off %(num)d quote.",
                                      "Theme removed. It was taken off %(num)d quotes.", detached)
                     if detached else _("Theme removed."))
            _say_put_to_authors_again(again, THEMES)
        else:  # in use and not confirmed: said beside its box, in the theme's place
            return _themes_page(ThemeForm(formdata=None), refused=form, refused_id=theme_id)
    return _back_to_themes()


def _say_put_to_authors_again(count: int, place: str) -> None:
    if count:
        flash_at(place, ngettext("%(num)d quote carrying it had been approved by its author, or put to them: they "
                                 "are asked again, with the themes as they are now.",
                                 "%(num)d quotes carrying it had been approved by their authors, or put to them: "
                                 "they are asked again, with the themes as they are now.", count))


@bp.get("/summary")
@editor_only
def summary():
    counted = curation.summary(current_language())
    largest = max([max(row.counts.values()) for row in counted.rows] + [0])
    return render_template(
        "editor/summary.html", rows=counted.rows, languages=curation.SUMMARY_LANGUAGES, largest=largest,
        total=counted.quotes,
    )


@bp.route("/roundtables/<int:roundtable_id>/sensitive-words", methods=["GET", "POST"])
@editor_only
def sensitive_words(roundtable_id: int):
    target = db.session.get(Roundtable, roundtable_id)
    if target is None:
        abort(404)
    form = SensitiveTermsForm()
    if request.method == "GET":
        form.terms.data = "\n".join(curation.sensitive_terms(target))
        form.read.data = curation.sensitive_terms_mark(target)
    if form.validate_on_submit():
        with change(errors_on=form.terms) as outcome:
            curation.set_sensitive_terms(g.user, target, form.terms.data, read=form.read.data)
        if isinstance(outcome.refusal, Conflict):  # what is saved now, to combine; saving again, seen, goes through
            say_saved_now(form.terms, "; ".join(curation.sensitive_terms(target)))
            form.read.data = curation.sensitive_terms_mark(target)
        if outcome.saved:
            back = request.args.get("quote", type=number_arg)
            flash_at(FINDINGS if back else SENSITIVE_WORDS, _("Sensitive words saved."))
            if back:
                return redirect(url_for("editor.quote", quote_id=back, **quotes_as_left()))
            return redirect(url_for("editor.sensitive_words", roundtable_id=roundtable_id))
    return render_template("editor/sensitive_words.html", roundtable=target, form=form,
                           quote_id=request.args.get("quote", type=number_arg))


@bp.route("/export", methods=["GET", "POST"])
@editor_only
@fresh_password_required  # a file of every approved quote is not made from a session found open
def export():
    form = ExportForm()
    _fill_filter_choices(form)
    if form.validate_on_submit():
        filters = exports.QuoteFilters(
            roundtable_id=form.roundtable.data or None, theme_id=form.theme.data or None,
            language=form.language.data or None,
        )
        # A double click downloads the first export again instead of recording a second one. A refusal (nothing
        # matches) is about the whole form: said in its summary, which takes the focus.
        with change(errors_on=form.sent_once, once=form, say_sent_twice=False) as outcome:
            record = exports.record(g.user, form.format.data, filters)
            outcome.location = url_for("editor.export_file", export_id=record.id)
            built = _built(record)  # before the record is committed: a file that was never built leaves none
        if outcome.sent_before:
            return redirect(outcome.location)
        if outcome.saved:
            return _sent(record, built)
    return render_template("editor/export.html", form=form)


@bp.get("/exports")
@editor_only
def past_exports():
    page = exports.past(request.args.get("page", 1, type=number_arg))
    if (last := last_page_instead(page)) is not None:
        return last
    return render_template("editor/past_exports.html", page=page)


@bp.get("/exports/<int:export_id>/file")
@editor_only
@fresh_password_to_open
def export_file(export_id: int):
    """The file of an export this editor made today, again: what a second sending of the export form gets."""
    record = exports.own_recent(g.user, export_id)
    return _sent(record, _built(record))


def _built(record) -> Iterator[bytes] | IO[bytes]:
    """The file of an export: Word and Excel whole; CSV and JSON, which are streamed, with their first piece built
    and the rest built as it is sent. The export form commits the record only after this, so for a stream the
    honest point is the moment before its first byte leaves. A stream that breaks after that keeps its record: part
    of the file may have reached the editor, and the record is what raises a notice when one of its quotes is
    withdrawn."""
    rows = exports.rows(record, current_language())
    if record.format in ("csv", "json"):
        texts = csv_chunks(rows, _labels(record)) if record.format == "csv" else json_chunks(rows, record.created_at)
        pieces = _in_large_chunks(texts)
        return chain((next(pieces, b""),), pieces)
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    if record.format == "docx":
        write_docx(rows, _labels(record), spool, format_date=lambda d: format_date(d, format="long"))
    else:
        write_xlsx(rows, _labels(record), spool)
    spool.seek(0)
    return spool


def _sent(record, built: Iterator[bytes] | IO[bytes]) -> Response:
    filename = f"roundtable-quotes-{clock.local_date(record.created_at):%Y%m%d}-{record.id}.{record.format}"
    if record.format in ("csv", "json"):
        return Response(stream_with_context(built), content_type=MIMETYPES[record.format],
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    return send_file(built, mimetype=MIMETYPES[record.format], as_attachment=True, download_name=filename)


def _in_large_chunks(texts, size: int = 64 * 1024):
    """UTF-8 in pieces of about ``size`` bytes: one write to the socket per piece, not per line."""
    pending, length = [], 0
    for text in texts:
        pending.append(text)
        length += len(text)
        if length >= size:
            yield "".join(pending).encode("utf-8")
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")


def _labels(record) -> ExportLabels:
    """The file's own words in the editor's language. It says when the export was made and how many quotes it
    holds: a download made again later leaves out words taken back since."""
    return ExportLabels(
        quote=_("Quote"), translation=_("Translation"), language=_("Language"), attribution=_("Attribution"),
        roundtable=_("Roundtable"), date=_("Date"), themes=_("Themes"), quote_id=_("Quote number"),
        title=_("Approved quotes"), staff_translation=_("Staff translation"),
        language_names={code: str(name) for code, name in language_choices()},  # as the filter names them
        generated=lambda count: ngettext(
            "Exported %(date)s: %(quotes)s quote", "Exported %(date)s: %(quotes)s quotes", count,
            date=format_date(record.created_at, format="long"), quotes=format_number(count),  # "1,000"
        ),
        quote_heading=lambda number: _("Quote number %(n)s", n=number),
        document_language=current_language(),
    )


def _quote_form(form_class: type[QuoteForm], obj=None) -> QuoteForm:
    form = form_class(obj=obj)
    language = current_language()
    form.themes.choices = [(t.id, t.name(language)) for t in curation.themes(language)]
    return form


def _quote_fields(form: QuoteForm) -> dict:
    return {
        "text": form.text.data,
        "language": form.language.data,
        "translation": form.translation.data or None,
        "translation_language": None,  # derived from the quote's language by the service
        "descriptor": form.descriptor.data,
        "themes": curation.themes_by_ids(form.themes.data or []),
    }


def _fill_filter_choices(form: ExportForm) -> None:
    language = current_language()
    # Named with the join code too, as the other filters do: roundtables may share a title.
    form.roundtable.choices = [(0, _("All roundtables"))] + [(r.id, f"{r.title(language)} · {r.join_code}")
                                                             for r in roundtables.titles()]
    form.theme.choices = [(0, _("All themes"))] + [(t.id, t.name(language)) for t in curation.themes(language)]
    form.language.choices = [("", _("All languages")), *language_choices()]


# --- Withdrawn after export (survivor control) ---------------------------------------------

@bp.get("/notices")
@editor_only
def notices():
    page = notice_service.open_notices(request.args.get("page", 1, type=number_arg))
    if (last := last_page_instead(page)) is not None:
        return last
    return render_template("editor/notices.html", page=page, ack_form=NoticeAckForm(prefix="ack"),
                           all_form=NoticesShownForm(prefix="all"))


@bp.post("/notices/<int:quote_id>/acknowledge")
@editor_only
def acknowledge_notice(quote_id: int):
    form = NoticeAckForm(prefix="ack")
    if form.validate_on_submit():
        with change(place=NOTICES) as outcome:
            notice_service.acknowledge(g.user, quote_id, form.seen_event())
        if outcome.saved:
            flash_at(NOTICES, _("Notice acknowledged."))
    # Back to the page it was on (once its last notice is gone, the list's last page). The message above the list
    # takes the focus (no #fragment: a browser skips autofocus then), so the next Tab reaches the next notice.
    return redirect(url_for("editor.notices", page=request.args.get("page", type=number_arg)))


# The names editors know these files by (the notices and the past exports say which file carried a quote).
FILE_KINDS = {"csv": "CSV", "xlsx": "Excel", "docx": "Word", "json": "JSON"}


@bp.app_template_filter("file_kind")
def _file_kind(file_format: str) -> str:
    return FILE_KINDS.get(file_format, file_format.upper())


@bp.post("/notices/acknowledge")
@editor_only
def acknowledge_notices():
    """Every notice the page showed: one withdrawal of many words is mended in one go."""
    form = NoticesShownForm(prefix="all")
    if form.validate_on_submit():
        with change(place=NOTICES) as outcome:
            done, changed = notice_service.acknowledge_many(g.user, form.shown())
        if outcome.saved and done:
            flash_at(NOTICES, ngettext("%(num)d notice acknowledged.", "%(num)d notices acknowledged.", done))
        if outcome.saved and changed:  # with it, in the one place that takes the focus
            flash_at(NOTICES, ngettext(
                "%(num)d notice changed after you opened the page. Read it again, then acknowledge it.",
                "%(num)d notices changed after you opened the page. Read them again, then acknowledge them.",
                changed), "error")
        elif outcome.saved and not done:  # sent twice, or acknowledged meanwhile on another page
            flash_at(NOTICES, _("These notices were acknowledged already."))
    return redirect(url_for("editor.notices", page=request.args.get("page", type=number_arg)))


@bp.app_template_global("withdrawn_notice_count")
def _withdrawn_notice_count() -> int:
    """For the editor navigation: one COUNT query, only on pages an editor sees."""
    return notice_service.count_open()
