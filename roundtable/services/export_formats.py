"""File formats for exporting approved quotes: CSV, JSON, DOCX and XLSX.

This module only turns already-selected rows into bytes or text. Which quotes
may be exported (consent) is decided by the caller, and every user-visible word
arrives translated in :class:`ExportLabels`, so nothing here depends on Flask.

Spreadsheet formats neutralise formula injection: a quote is free text written
by a person, and a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return could otherwise run as a formula when staff open the file.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

JSON_FORMAT = "roundtable.quotes"
JSON_VERSION = 1

# OWASP "CSV injection": leading characters that spreadsheets may evaluate.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Characters outside the XML 1.0 ``Char`` production; lxml and openpyxl refuse
# them, so one stray control character pasted from another tool would
# otherwise abort the whole DOCX or XLSX export.
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Word language tags, so spell-checking treats Filipino text as Filipino.
# "mixed" (Taglish) is not spell-checked: any single language would mark half of it wrong.
_WORD_LANGUAGE_TAGS = {"fil": "fil-PH", "en": "en-PH"}

_SMALL_TYPE = Pt(9)
_SPACE_BETWEEN_QUOTES = Pt(18)
_XLSX_DATE_FORMAT = "yyyy-mm-dd"
# Least widths in Excel character units, in the column order of ``_table_header``.
_XLSX_COLUMN_WIDTHS = (10, 60, 60, 20, 30, 30, 12, 30)
_XLSX_WRAPPED_COLUMNS = frozenset({1, 2})  # quote and translation
_XLSX_MAX_SHEET_TITLE = 31
_XLSX_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class ExportRow:
    """One approved quote, as the consent-aware selection service hands it over."""

    quote_id: int
    text: str  # the quote as approved, editorial marks included
    language: str  # "fil", "en" or "mixed"
    translation: str | None  # staff translation, or None
    translation_language: str | None
    pseudonym: str
    descriptor: str  # e.g. "survivor leader"
    roundtable: str  # roundtable title in the export's language
    date: datetime.date  # date the quote was approved
    themes: tuple[str, ...]  # theme names in the export's language


@dataclass(frozen=True)
class ExportLabels:
    """User-visible words, already translated by the caller (Flask-Babel lives there)."""

    quote: str
    translation: str
    language: str
    attribution: str
    roundtable: str
    date: str
    themes: str
    quote_id: str
    title: str  # document title, e.g. "Approved quotes"
    staff_translation: str  # e.g. "Staff translation"
    language_names: Mapping[str, str]  # {"fil": "Filipino", "en": "English", ...}
    generated: Callable[[int], str]  # the number of quotes in the file → "Exported 29 November 2026: 12 quotes"
    quote_heading: Callable[[int], str]  # a quote's number → "Quote number 12", as notices and the quote's page say
    document_language: str  # "fil" or "en": Word's language for the sheet's own words


def neutralise_formula(value: str) -> str:
    """Prefix ``'`` to a cell that a spreadsheet could read as a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _attribution(row: ExportRow) -> str:
    return f"{row.pseudonym}, {row.descriptor}"


def _language_name(labels: ExportLabels, code: str) -> str:
    return labels.language_names.get(code, code)


def _table_header(labels: ExportLabels) -> list[str]:
    return [
        labels.quote_id,
        labels.quote,
        labels.translation,
        labels.language,
        labels.attribution,
        labels.roundtable,
        labels.date,
        labels.themes,
    ]


def _table_row(row: ExportRow, labels: ExportLabels) -> list[int | str | datetime.date]:
    """Cells shared by CSV and XLSX; the date stays a date for XLSX."""
    return [
        row.quote_id,
        row.text,
        row.translation or "",
        _language_name(labels, row.language),
        _attribution(row),
        row.roundtable,
        row.date,
        "; ".join(row.themes),
    ]


def _csv_cell(value: int | str | datetime.date) -> int | str:
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class _Echo:
    """Sink whose ``write`` returns the text, so each CSV line is yielded, never buffered."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(rows: Iterable[ExportRow], labels: ExportLabels) -> Iterator[str]:
    """Stream CSV text, one chunk per line; the first chunk starts with a BOM.

    The BOM makes Excel read the file as UTF-8 (ñ, curly quotes); the view
    encodes the chunks to UTF-8.
    """
    writer = csv.writer(_Echo(), lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    header = [neutralise_formula(name) for name in _table_header(labels)]
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_cell(cell) for cell in _table_row(row, labels)])


def _json_quote(row: ExportRow) -> dict[str, object]:
    translation = None
    if row.translation is not None:
        translation = {
            "text": row.translation,
            "language": row.translation_language,
            "kind": "staff_translation",
        }
    return {
        "id": row.quote_id,
        "text": row.text,
        "language": row.language,
        "translation": translation,
        "attribution": {"pseudonym": row.pseudonym, "descriptor": row.descriptor},
        "roundtable": row.roundtable,
        "date": row.date.isoformat(),
        "themes": list(row.themes),
    }


def json_chunks(rows: Iterable[ExportRow], generated_at: datetime.datetime) -> Iterator[str]:
    """Stream the ``roundtable.quotes`` JSON document (see docs/export-json.md).

    Takes no labels: keys and language codes are a machine format and are not
    translated. ``generated_at`` must be timezone-aware; it is written in UTC.
    """
    # Not a generator itself, so a bad call fails before the view starts a response.
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware")
    stamp = generated_at.astimezone(datetime.timezone.utc).isoformat(timespec="seconds")
    return _json_document(rows, stamp.replace("+00:00", "Z"))


def _json_dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_document(rows: Iterable[ExportRow], stamp: str) -> Iterator[str]:
    yield (
        f'{{"format": {_json_dump(JSON_FORMAT)}, "version": {JSON_VERSION}, '
        f'"generated_at": {_json_dump(stamp)}, "quotes": ['
    )
    separator = "\n"
    for row in rows:
        yield separator + _json_dump(_json_quote(row))
        separator = ",\n"
    yield "\n]}\n"


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _set_word_language(run: Run, language: str | None) -> None:
    tag = _WORD_LANGUAGE_TAGS.get(language or "")
    properties = run._r.get_or_add_rPr()
    if tag is None:  # Taglish (or a pseudonym): no single language's spell-check is right for it
        properties.append(OxmlElement("w:noProof"))
        return
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    properties.append(lang)


def _set_default_word_language(document, language: str) -> None:
    """The sheet's own words (title, dates, labels, roundtable titles) are in the export's language; without
    this Word reads them as the template's US English."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), _WORD_LANGUAGE_TAGS[language])


def write_docx(
    rows: Iterable[ExportRow],
    labels: ExportLabels,
    out: BinaryIO,
    *,
    format_date: Callable[[datetime.date], str] = datetime.date.isoformat,
) -> None:
    """Write a quote sheet, ready to paste into a report, as DOCX into ``out``.

    Dates are ISO 8601 unless the caller passes ``format_date`` (for example
    ``flask_babel.format_date``) to match the export's language. Core
    properties carry the title only: no author, so no staff name leaks.
    """
    document = docx.Document()
    properties = document.core_properties
    properties.title = _xml_safe(labels.title)
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    properties.created = now
    properties.modified = now

    _set_default_word_language(document, labels.document_language)
    document.add_heading(_xml_safe(labels.title), level=1)
    generated = document.add_paragraph()  # its words say how many quotes follow: written once they are counted

    add_paragraph = _paragraph_adder(document)
    # By name, a style is looked up among all of them each time.
    heading_style, quote_style = (document.styles[name].style_id for name in ("Heading 2", "Quote"))
    count = 0
    for row in rows:
        count += 1
        # Each quote under a heading of its number: Word's navigation pane and a screen reader's heading keys go
        # from quote to quote, and a notice ("Quote number 4 was withdrawn") finds it in a printed sheet.
        heading = add_paragraph(heading_style)
        heading.add_run(_xml_safe(labels.quote_heading(row.quote_id)))
        quote = add_paragraph(quote_style)
        quote.paragraph_format.keep_with_next = True
        _set_word_language(quote.add_run(_quoted(_xml_safe(row.text))), row.language)

        if row.translation is not None:
            label = add_paragraph()
            label.paragraph_format.keep_with_next = True
            label.add_run(_xml_safe(labels.staff_translation)).font.size = _SMALL_TYPE
            translation = add_paragraph()
            translation.paragraph_format.keep_with_next = True
            _set_word_language(
                translation.add_run(_xml_safe(row.translation)), row.translation_language
            )

        attribution = add_paragraph()
        attribution.paragraph_format.keep_with_next = True
        _set_word_language(attribution.add_run(_xml_safe(f"— {_attribution(row)}")), None)  # a pseudonym: no spell-check

        context = add_paragraph()
        context.paragraph_format.space_after = _SPACE_BETWEEN_QUOTES
        context_text = f"{row.roundtable} · {format_date(row.date)}"  # a title may end in "?": no comma after it
        if row.themes:
            context_text += f" · {labels.themes}: {'; '.join(row.themes)}"
        context.add_run(_xml_safe(context_text)).font.size = _SMALL_TYPE

    generated.add_run(_xml_safe(labels.generated(count)))
    document.save(out)


def _paragraph_adder(document) -> Callable[..., Paragraph]:
    """``add(style_id=None)`` appends a paragraph to the body, as ``document.add_paragraph`` does, in constant time.
    python-docx finds the body's closing section properties by searching the body from its start for every
    paragraph it adds, so a sheet of thousands of quotes took time growing with its square (4,000 quotes: 17 s)."""
    body = document.element.body
    end = body.sectPr

    def add(style_id: str | None = None) -> Paragraph:
        element = OxmlElement("w:p")
        if end is None:
            body.append(element)
        else:
            end.addprevious(element)
        if style_id is not None:
            element.style = style_id
        return Paragraph(element, document)

    return add


def _quoted(text: str) -> str:
    """In quotation marks, every quote alike when pasted into a report; words that hold double marks of their own go
    in single ones (nested alike they would misread, and the words stay exactly as approved)."""
    return f"‘{text}’" if any(mark in text for mark in "“”\"") else f"“{text}”"


def _sheet_title(title: str) -> str | None:
    """Make ``title`` a valid Excel sheet name, or None for openpyxl's default."""
    cleaned = _XLSX_SHEET_TITLE_FORBIDDEN.sub(" ", _xml_safe(title))
    cleaned = cleaned[:_XLSX_MAX_SHEET_TITLE].strip().strip("'").strip()
    return cleaned or None


def _xlsx_cell(
    sheet: WriteOnlyWorksheet, value: int | str | datetime.date, *, wrap: bool = False
) -> Cell:
    """A cell whose text can never become a formula.

    Strings are forced to the string type (openpyxl would turn a leading ``=``
    into a formula) and keep the approved text unchanged; a risky leading
    character gets Excel's own quote prefix, so re-editing the cell in Excel
    keeps it text as well.
    """
    if isinstance(value, str):
        value = _xml_safe(value) or None  # nothing to say is a blank cell (ISBLANK, COUNTA), not empty text
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_TRIGGERS)
    elif isinstance(value, datetime.date):
        cell.number_format = _XLSX_DATE_FORMAT
    cell.alignment = Alignment(vertical="top", wrap_text=wrap)
    return cell


def write_xlsx(rows: Iterable[ExportRow], labels: ExportLabels, out: BinaryIO) -> None:
    """Write the quotes as one XLSX sheet into ``out``, streaming rows (write-only mode).

    Same columns as CSV; the date column holds real dates. Workbook properties
    carry the title only, with no creator.
    """
    workbook = Workbook(write_only=True)
    workbook.properties.title = _xml_safe(labels.title)
    workbook.properties.creator = None
    sheet = workbook.create_sheet(title=_sheet_title(labels.title))

    header = _table_header(labels)
    for column, (width, name) in enumerate(zip(_XLSX_COLUMN_WIDTHS, header), start=1):
        # Room for the bold heading in the user's language: a narrower column cuts it ("Quote numb").
        sheet.column_dimensions[get_column_letter(column)].width = max(width, len(name) + 2)
    sheet.freeze_panes = "A2"

    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = _xlsx_cell(sheet, name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    for row in rows:
        sheet.append(
            [
                _xlsx_cell(sheet, value, wrap=index in _XLSX_WRAPPED_COLUMNS)
                for index, value in enumerate(_table_row(row, labels))
            ]
        )

    workbook.save(out)
