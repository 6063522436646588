"""Each export format is read back with its own reader, as Word and Excel would."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterator

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from openpyxl.worksheet.worksheet import Worksheet

from roundtable.services.export_formats import (
    ExportLabels,
    ExportRow,
    csv_chunks,
    json_chunks,
    write_docx,
    write_xlsx,
)

HOSTILE_VALUES = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR"]
MANILA = datetime.timezone(datetime.timedelta(hours=8))
GENERATED_AT = datetime.datetime(2026, 11, 29, 20, 30, tzinfo=MANILA)

LABELS = ExportLabels(
    quote="Quote",
    translation="Translation",
    language="Language",
    attribution="Attribution",
    roundtable="Roundtable",
    date="Date",
    themes="Themes",
    quote_id="Quote ID",
    title="Approved quotes",
    staff_translation="Staff translation",
    language_names={"fil": "Filipino", "en": "English", "mixed": "Filipino and English"},
    generated=lambda count: f"Exported 29 November 2026 — {count} quotes",
    quote_heading=lambda number: f"Quote number {number}",
    document_language="fil",
)

FILIPINO = ExportRow(
    quote_id=101,
    text="Sana hindi na kailangang humarap ng bata sa korte.",
    language="fil",
    translation="I hope a child will no longer have to face the court.",
    translation_language="en",
    pseudonym="Tala",
    descriptor="survivor leader",
    roundtable="Mga boses para sa pagbabago",
    date=datetime.date(2026, 11, 3),
    themes=("Access to justice", "Child protection"),
)
TAGLISH = ExportRow(
    quote_id=102,
    text="Sa Parañaque, sinabi nila “kaya natin ’to” [...] and we kept going.",
    language="mixed",
    translation=None,
    translation_language=None,
    pseudonym="Liwayway",
    descriptor="survivor leader",
    roundtable="Mga boses para sa pagbabago",
    date=datetime.date(2026, 11, 10),
    themes=("Community",),
)
HOSTILE = ExportRow(
    quote_id=103,
    text=HOSTILE_VALUES[0],
    language="en",
    translation=HOSTILE_VALUES[1],
    translation_language="fil",
    pseudonym=HOSTILE_VALUES[2],
    descriptor="survivor leader",
    roundtable=HOSTILE_VALUES[3],
    date=datetime.date(2026, 11, 17),
    themes=(HOSTILE_VALUES[4], HOSTILE_VALUES[5]),
)
ROWS = (FILIPINO, TAGLISH, HOSTILE)


def rows_then_failure(count: int) -> Iterator[ExportRow]:
    """Yield ``count`` rows, then fail as a broken database cursor would."""
    yield from ROWS[:count]
    raise RuntimeError("rows iterator consumed too far")


def read_csv() -> list[list[str]]:
    text = "".join(csv_chunks(iter(ROWS), LABELS))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_starts_with_bom_and_localised_header() -> None:
    first = next(csv_chunks(iter(ROWS), LABELS))

    assert first == (
        "\ufeffQuote ID,Quote,Translation,Language,Attribution,Roundtable,Date,Themes\r\n"
    )


def test_csv_round_trips_rows_with_unicode() -> None:
    header, filipino, taglish, _hostile = read_csv()

    assert len(header) == 8
    assert filipino == [
        "101",
        FILIPINO.text,
        FILIPINO.translation,
        "Filipino",
        "Tala, survivor leader",
        "Mga boses para sa pagbabago",
        "2026-11-03",
        "Access to justice; Child protection",
    ]
    assert "Parañaque" in taglish[1]
    assert "“kaya natin ’to”" in taglish[1]
    assert taglish[2] == ""
    assert taglish[3] == "Filipino and English"


def test_csv_neutralises_every_hostile_cell() -> None:
    hostile = read_csv()[3]

    assert hostile[1] == "'" + HOSTILE_VALUES[0]
    assert hostile[2] == "'+1"
    assert hostile[4] == "'-2, survivor leader"
    assert hostile[5] == "'@SUM(A1)"
    assert hostile[7] == "'\tTab; \rCR"
    all_cells = [cell for row in read_csv() for cell in row]
    assert not [cell for cell in all_cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_csv_neutralises_each_trigger_character_alone() -> None:
    for value in HOSTILE_VALUES:
        row = dataclasses.replace(FILIPINO, text=value)
        line = list(csv_chunks([row], LABELS))[1]
        assert next(csv.reader(io.StringIO(line, newline="")))[1] == "'" + value


def test_csv_consumes_rows_lazily() -> None:
    chunks = csv_chunks(rows_then_failure(2), LABELS)

    assert next(chunks).startswith("\ufeff")
    assert next(chunks).startswith("101,")
    assert next(chunks).startswith("102,")
    with pytest.raises(RuntimeError):
        next(chunks)


def test_json_document_schema() -> None:
    document = json.loads("".join(json_chunks(iter(ROWS), GENERATED_AT)))

    assert document["format"] == "roundtable.quotes"
    assert document["version"] == 1
    assert document["generated_at"] == "2026-11-29T12:30:00Z"
    assert len(document["quotes"]) == 3
    first = document["quotes"][0]
    assert first == {
        "id": 101,
        "text": FILIPINO.text,
        "language": "fil",
        "translation": {
            "text": FILIPINO.translation,
            "language": "en",
            "kind": "staff_translation",
        },
        "attribution": {"pseudonym": "Tala", "descriptor": "survivor leader"},
        "roundtable": "Mga boses para sa pagbabago",
        "date": "2026-11-03",
        "themes": ["Access to justice", "Child protection"],
    }
    assert document["quotes"][1]["translation"] is None
    assert document["quotes"][2]["text"] == HOSTILE_VALUES[0]  # machine format: unaltered


def test_json_keeps_unicode_unescaped_and_streams() -> None:
    chunks = json_chunks(rows_then_failure(1), GENERATED_AT)

    assert next(chunks).startswith('{"format": "roundtable.quotes"')
    assert "Sana hindi" in next(chunks)
    with pytest.raises(RuntimeError):
        next(chunks)
    text = "".join(json_chunks([TAGLISH], GENERATED_AT))
    assert "Parañaque" in text and "“kaya natin ’to”" in text


def test_json_empty_export_is_valid() -> None:
    assert json.loads("".join(json_chunks([], GENERATED_AT)))["quotes"] == []


def test_json_rejects_naive_timestamp() -> None:
    with pytest.raises(ValueError):
        json_chunks([], datetime.datetime(2026, 11, 29, 12, 30))  # before any iteration


def test_docx_quote_sheet() -> None:
    out = io.BytesIO()
    write_docx(iter(ROWS), LABELS, out, format_date=lambda day: day.strftime("%d/%m/%Y"))
    document = docx.Document(io.BytesIO(out.getvalue()))
    texts = [paragraph.text for paragraph in document.paragraphs]

    assert texts[:2] == ["Approved quotes", "Exported 29 November 2026 — 3 quotes"]
    assert f"“{FILIPINO.text}”" in texts
    assert "Staff translation" in texts
    assert FILIPINO.translation in texts
    assert "— Tala, survivor leader" in texts
    assert "Mga boses para sa pagbabago · 03/11/2026" in [" · ".join(text.split(" · ")[:2]) for text in texts]
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [(p.style.name, p.text) for p in headings] == [("Heading 1", "Approved quotes")] + [
        ("Heading 2", f"Quote number {row.quote_id}") for row in ROWS], "each quote under a heading of its number"
    themed = next(row for row in ROWS if row.themes)
    assert f"{themed.roundtable} · {themed.date:%d/%m/%Y} · Themes: {'; '.join(themed.themes)}" in texts
    assert f"‘{TAGLISH.text}’" in texts  # it quotes words of its own: single marks around them
    assert texts.count("Staff translation") == 2  # Taglish row has no translation
    quote = next(p for p in document.paragraphs if p.text == f"“{FILIPINO.text}”")
    assert quote.style.name == "Quote"
    assert document.element.body[-1].tag == qn("w:sectPr"), "the page settings close the body, after every quote"


def test_docx_properties_name_no_one() -> None:
    out = io.BytesIO()
    write_docx(iter(ROWS), LABELS, out)
    properties = docx.Document(io.BytesIO(out.getvalue())).core_properties

    assert properties.title == "Approved quotes"
    assert properties.author == ""
    assert properties.last_modified_by == ""
    assert properties.comments == ""


def test_docx_default_dates_are_iso_and_languages_tagged() -> None:
    out = io.BytesIO()
    write_docx([FILIPINO], LABELS, out)
    document = docx.Document(io.BytesIO(out.getvalue()))

    assert "Mga boses para sa pagbabago · 2026-11-03 · Themes: Access to justice; Child protection" in [
        p.text for p in document.paragraphs]
    xml = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("word/document.xml").decode()
    assert 'w:lang w:val="fil-PH"' in xml
    assert 'w:lang w:val="en-PH"' in xml


def test_docx_sheet_words_are_in_the_export_language_and_taglish_is_not_spell_checked() -> None:
    out = io.BytesIO()
    write_docx([TAGLISH], LABELS, out)
    package = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", package.read("word/styles.xml").decode(), re.S).group(0)
    assert 'w:val="fil-PH"' in defaults and 'w:val="en-US"' not in defaults
    quote = next(run for p in docx.Document(io.BytesIO(out.getvalue())).paragraphs for run in p.runs
                 if TAGLISH.text in run.text)
    assert quote._r.rPr.find(qn("w:noProof")) is not None and quote._r.rPr.find(qn("w:lang")) is None
    attribution = next(run for p in docx.Document(io.BytesIO(out.getvalue())).paragraphs for run in p.runs
                       if run.text.startswith("— "))
    assert attribution._r.rPr.find(qn("w:noProof")) is not None  # a pseudonym is in no language


def test_docx_counts_the_quotes_it_holds() -> None:
    out = io.BytesIO()
    write_docx(iter([FILIPINO]), LABELS, out)
    assert docx.Document(io.BytesIO(out.getvalue())).paragraphs[1].text == "Exported 29 November 2026 — 1 quotes"


def test_docx_and_xlsx_survive_xml_illegal_characters() -> None:
    row = dataclasses.replace(TAGLISH, text="Bawal\x0b ito\x00.")
    docx_out, xlsx_out = io.BytesIO(), io.BytesIO()
    write_docx([row], LABELS, docx_out)
    write_xlsx([row], LABELS, xlsx_out)

    assert "“Bawal ito.”" in [p.text for p in docx.Document(docx_out).paragraphs]
    assert openpyxl.load_workbook(xlsx_out).active["B2"].value == "Bawal ito."


def read_xlsx(labels: ExportLabels = LABELS) -> Worksheet:
    out = io.BytesIO()
    write_xlsx(iter(ROWS), labels, out)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue())).active


def test_xlsx_header_values_and_layout() -> None:
    sheet = read_xlsx()
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]

    assert sheet.max_row == 4
    assert values[0] == [
        "Quote ID", "Quote", "Translation", "Language",
        "Attribution", "Roundtable", "Date", "Themes",
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert values[1][:6] == [
        101, FILIPINO.text, FILIPINO.translation, "Filipino",
        "Tala, survivor leader", FILIPINO.roundtable,
    ]
    assert values[1][7] == "Access to justice; Child protection"
    assert values[2][1] == TAGLISH.text
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].alignment.wrap_text and sheet["C2"].alignment.wrap_text
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_every_xlsx_column_is_wide_enough_for_its_heading() -> None:
    """Excel cuts a heading wider than its column ("Quote numb"); Filipino headings are longer still."""
    filipino = dataclasses.replace(LABELS, quote_id="Numero ng sipi", attribution="Pagkilala sa sumulat at paglalarawan")
    sheet = read_xlsx(filipino)

    for heading in sheet[1]:
        assert sheet.column_dimensions[heading.column_letter].width >= len(heading.value) + 2, heading.value


def test_xlsx_dates_are_real_dates() -> None:
    sheet = read_xlsx()

    for cell, row in zip(sheet["G"][1:], ROWS, strict=True):
        assert cell.is_date
        assert cell.value.date() == row.date
        assert cell.number_format == "yyyy-mm-dd"


def test_xlsx_has_no_formula_cells() -> None:
    sheet = read_xlsx()
    hostile = sheet[4]

    assert [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"] == []
    assert hostile[1].value == HOSTILE_VALUES[0]
    assert hostile[1].data_type == "s"
    assert hostile[1].quotePrefix
    assert hostile[2].value == "+1" and hostile[2].quotePrefix
    assert hostile[4].value == "-2, survivor leader" and hostile[4].quotePrefix
    assert hostile[5].value == "@SUM(A1)" and hostile[5].quotePrefix
    assert hostile[7].value.startswith("\tTab") and hostile[7].quotePrefix
    assert not sheet["B2"].quotePrefix


def test_an_xlsx_cell_with_nothing_to_say_is_blank_not_empty_text() -> None:
    """Excel counts an empty text cell (COUNTA, "how many have a translation?") and ISBLANK says no."""
    out = io.BytesIO()
    write_xlsx(iter(ROWS), LABELS, out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()

    untranslated = re.search(r'<c r="C3"[^>]*?(/>|>.*?</c>)', sheet_xml).group(0)  # TAGLISH has no translation
    assert "inlineStr" not in untranslated and "<is>" not in untranslated and "<v>" not in untranslated, untranslated
    assert 't="inlineStr"' in re.search(r'<c r="C2".*?</c>', sheet_xml).group(0)


def test_xlsx_properties_name_no_one() -> None:
    out = io.BytesIO()
    write_xlsx(iter(ROWS), LABELS, out)
    core = zipfile.ZipFile(out).read("docProps/core.xml").decode()

    assert "Approved quotes" in core
    assert "creator" not in core
    assert "lastModifiedBy" not in core


def test_xlsx_sheet_title_is_valid_for_excel() -> None:
    labels = dataclasses.replace(LABELS, title="Mga sinipi: inaprubahan/2026 [lahat ng roundtable]")
    out = io.BytesIO()
    write_xlsx([FILIPINO], labels, out)
    title = openpyxl.load_workbook(out).active.title

    assert len(title) <= 31
    assert not set(title) & set("[]:*?/\\")


@pytest.mark.parametrize(
    ("words", "paragraph"),
    [
        ("Hustisya ang hinihintay namin.", "“Hustisya ang hinihintay namin.”"),
        ("Sabi ko sa sarili ko, “kaya natin ’to.”", "‘Sabi ko sa sarili ko, “kaya natin ’to.”’"),
        ('The judge said "you are safe here."', '‘The judge said "you are safe here."’'),
    ],
)
def test_docx_puts_every_quote_in_quotation_marks_single_around_words_with_double_ones(words, paragraph) -> None:
    out = io.BytesIO()
    write_docx([dataclasses.replace(FILIPINO, text=words)], LABELS, out)
    texts = [p.text for p in docx.Document(io.BytesIO(out.getvalue())).paragraphs]
    assert paragraph in texts
