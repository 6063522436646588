"""Behaviour of the identifying-detail detector (roundtable/services/identifiers.py).

Examples are synthetic and written for these tests; tests/data/pii_dev.jsonl is the labelled
evaluation set (pii_dev.jsonl), scored with the rules of tests/data/pii_README.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from roundtable.services.identifiers import Finding, detect
from tests.conftest import python_calls

DEV_SET = Path(__file__).parent.parent / "data" / "pii_dev.jsonl"
# Held-out sets written without looking at the detector's rules (see docs/identifiers.md).
HOLDOUT_SET = Path(__file__).parent.parent / "data" / "pii_holdout.jsonl"
SECOND_HOLDOUT_SET = Path(__file__).parent.parent / "data" / "pii_holdout2.jsonl"  # written on 2026-12-03
THIRD_HOLDOUT_SET = Path(__file__).parent.parent / "data" / "pii_holdout3.jsonl"  # the same day, after its fixes
FOURTH_HOLDOUT_SET = Path(__file__).parent.parent / "data" / "pii_holdout4.jsonl"  # 2026-12-03 again, a new session
FIFTH_HOLDOUT_SET = Path(__file__).parent.parent / "data" / "pii_holdout5.jsonl"  # 2026-12-03, the session after
REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def found(text: str, **kwargs) -> set[tuple[str, str]]:
    return {(f.kind, f.text) for f in detect(text, **kwargs)}


def assert_flags(text: str, expected: set[tuple[str, str]]) -> None:
    result = found(text)
    missing = expected - result
    assert not missing, f"missing {missing} in {result} for {text!r}"


# --- each kind, in English, Filipino and Taglish ---------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("My uncle Gregorio Manansala never said sorry.", {("name", "Gregorio Manansala")}),
        (
            "The hearing was moved, and Atty. Villaroman called me herself.",
            {("name", "Villaroman")},
        ),
        ("Si Tita Dolor ang sumama sa akin sa piskal.", {("name", "Dolor")}),
        ("Kinausap ako ni Fiscal Mangubat bago ang hearing.", {("name", "Mangubat")}),
        ("Si Kuya Ompong, he waited outside the courtroom the whole day.", {("name", "Ompong")}),
        (
            "Our neighbor, Mrs. Luzviminda Tolentino, testified too.",
            {("name", "Luzviminda Tolentino")},
        ),
        ("Tumestigo kami nina Ate Rowena at Marlon.", {("name", "Rowena"), ("name", "Marlon")}),
        ("I told Jessa everything after the verdict.", {("name", "Jessa")}),
        ("The court listened. […] I told Jessa everything.", {("name", "Jessa")}),
        ("— Marites, halika rito! sigaw ni Lola.", {("name", "Marites")}),  # the one spoken to, in dialogue
        ("Sabi ko:\n— Jun-jun, kain na.", {("name", "Jun-jun")}),
        # A nickname in quotes is one where the quote stands, not the start of words quoted.
        ("Ang tito ko na si ‘Bong’ ang nag-abuso.", {("name", "Bong")}),
        ("Tinawag ako ni 'Tonyo' sa korte.", {("name", "Tonyo")}),
        ("Kasama ko si 'Jun-jun' noon.", {("name", "Jun-jun")}),
        ("My uncle 'Bong' Reyes did it.", {("name", "Bong"), ("name", "Reyes")}),
        ('Ang tito ko na si "Bong" ang nag-abuso.', {("name", "Bong")}),
        ("Tinawag ako ni “Tonyo” sa korte.", {("name", "Tonyo")}),
    ],
)
def test_names_after_cue_words_and_in_mid_sentence(text, expected):
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "We lived on Mabini Street in Marikina before the rescue.",
            {("place", "Mabini Street"), ("place", "Marikina")},
        ),
        (
            "Nakatira kami noon sa Purok 7, Sitio Bukid, Barangay Malinta.",
            {("place", "Purok 7"), ("place", "Sitio Bukid"), ("place", "Barangay Malinta")},
        ),
        (
            "Taga-Samar ako, pero sa Brgy. 52 kami lumaki.",
            {("place", "Samar"), ("place", "Brgy. 52")},
        ),
        ("Every hearing meant a ferry ride to Tagbilaran City.", {("place", "Tagbilaran City")}),
        (
            "Bumili ako ng ice cream sa SM City Iloilo after the verdict.",
            {("place", "SM City Iloilo")},
        ),
        (
            "I grew up in Western Visayas, then moved to Metro Manila.",
            {("place", "Western Visayas"), ("place", "Metro Manila")},
        ),
        ("My mother works in Riyadh now.", {("place", "Riyadh")}),
        ("Every week I pass by Divisoria, at naaalala ko pa rin.", {("place", "Divisoria")}),
    ],
)
def test_places_from_gazetteer_cue_words_and_context(text, expected):
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Text me at 0918 555 0142 if you need someone.", {("contact", "0918 555 0142")}),
        ("Tumawag kayo sa 09985550173 kahit hatinggabi.", {("contact", "09985550173")}),
        ("Our line is +63 920-555-0188, open on weekends.", {("contact", "+63 920-555-0188")}),
        ("Ang landline ng opisina ay (02) 8555-0101.", {("contact", "(02) 8555-0101")}),
        ("Call the center at (034) 555-0123, they answer fast.", {("contact", "(034) 555-0123")}),
        (
            "Email niyo ako sa lakas.loob@example.org para sa schedule.",
            {("contact", "lakas.loob@example.org")},
        ),
    ],
)
def test_contacts(text, expected):
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I post poems on TikTok as @tahimik.na.lakas.", {("handle", "@tahimik.na.lakas")}),
        (
            "My old account, facebook.com/bituin.reyes.21, is still up.",
            {("handle", "facebook.com/bituin.reyes.21")},
        ),
        ("Message niyo ako sa m.me/bangon.tayo para sa updates.", {("handle", "m.me/bangon.tayo")}),
        ("Ang GCash ko ay 0935 555 0199, para sa pamasahe.", {("handle", "0935 555 0199")}),
        ("The fund sent my fare to my PayMaya, 0966 555 0110.", {("handle", "0966 555 0110")}),
        ("IG: liwanag_24 lang, DM niyo ako.", {("handle", "liwanag_24")}),
    ],
)
def test_handles_and_wallet_accounts(text, expected):
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I was 11 years old when I first testified.", {("age", "11 years old")}),
        ("She testified at age 15.", {("age", "15")}),
        ("My brother was a 7-year-old then.", {("age", "7-year-old")}),
        ("Labing-apat na taong gulang ako noon.", {("age", "Labing-apat na taong gulang")}),
        ("Edad 10 ako nang dalhin sa shelter.", {("age", "10")}),
        ("Noong 8 ako, hindi ko pa naiintindihan ang korte.", {("age", "8")}),
        (
            "Walong taon ako noon, and I didn't understand anything.",
            {("age", "Walong taon")},
        ),
        ("Ngayon, 25 anyos na ako at leader na ng grupo.", {("age", "25 anyos")}),
    ],
)
def test_ages(text, expected):
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The verdict came on April 21, 2020.", {("date", "April 21, 2020")}),
        ("We were rescued in February 2015.", {("date", "February 2015")}),
        ("Noong ika-9 ng Marso 2017 ako unang tumestigo.", {("date", "ika-9 ng Marso 2017")}),
        ("Natapos ang kaso noong Nobyembre 2022.", {("date", "Nobyembre 2022")}),
        ("The hearing was set for Hulyo 14, 2018 pero na-postpone.", {("date", "Hulyo 14, 2018")}),
        ("The subpoena was dated 11/03/2016.", {("date", "11/03/2016")}),
    ],
)
def test_dates(text, expected):
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "I finished at Mabuhay Integrated National High School.",
            {("institution", "Mabuhay Integrated National High School")},
        ),
        (
            "Sa Bahay Silungan Shelter kami unang dinala.",
            {("institution", "Bahay Silungan Shelter")},
        ),
        ("Ang hearing ko ay sa RTC Branch 41.", {("institution", "RTC Branch 41")}),
        (
            "The trial was at the Regional Trial Court Branch 7 in Ormoc.",
            {("institution", "Regional Trial Court Branch 7"), ("place", "Ormoc")},
        ),
        (
            "Si Ma'am Dina ng Cebu City Prosecutor's Office ang tumulong.",
            {("name", "Dina"), ("institution", "Cebu City Prosecutor's Office")},
        ),
        (
            "Nagtatrabaho ako sa Liwayway Bakeshop Inc. ngayon.",
            {("institution", "Liwayway Bakeshop Inc.")},
        ),
        (
            "We prayed at the Parokya ng San Lorenzo every Sunday.",
            {("institution", "Parokya ng San Lorenzo")},
        ),
        (
            "My first job was at a Greenwich branch in Tacloban.",
            {("institution", "Greenwich"), ("place", "Tacloban")},
        ),
    ],
)
def test_institutions(text, expected):
    assert_flags(text, expected)


# --- what is never flagged ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Salamat sa Diyos at sa Panginoon, natapos din ang kaso.",
        "By God's grace, I finished school. I pray to Mama Mary every night.",
        "Tuwing Disyembre, naaalala ko ang unang Pasko namin sa shelter.",
        "The hearing was in June, then postponed to Monday.",
        "Children in the Philippines should be heard. Dito sa Pilipinas, mahaba ang proseso.",
        "The DSWD, PAO and NBI helped us, and IJM explained everything.",
        "Hope is not a feeling. Justice, for me, is being believed.",
        "Every Friday we had group sessions. Healing takes time.",
        "I post on Facebook and TikTok, and I have GCash now.",
        "Si Tito ang nagsumbong sa amin, pero ang tatay ko ang nagkasala.",
        "After 5 years and 3 hearings, dalawang taon pa kaming naghintay.",
        "The court was cold, and ang korte ay malayo sa bahay namin.",
        "HINDI AKO NAG-IISA. NEVER again.",
        "Yung Kuya ko, he believed me. The Barangay Captain did not.",
        "The court listened. […] In the end, they said sorry.",  # an editor's omission may open a sentence
        "Sana makinig sila [...] Kasi kailangan namin ng tulong.",
        "-Sana ang mga bata ay ligtas.",  # a dash that opens a line of dialogue opens a sentence too
        "Sabi niya:\n— Sana po, makinig ang korte.",
        "'Yung korte ay dapat makinig sa mga bata.",  # a word cut short at its start opens the sentence
        "Sabi nila, ‘Yan ang sabi ng korte.’ 'Yun ang gusto ko.",  # and so does a single quote
    ],
)
def test_common_capitalised_words_are_not_flagged(text):
    assert detect(text) == []


def test_month_without_year_is_not_a_date_but_with_year_it_is():
    assert detect("Noong Mayo pa lang kinakabahan na ako.") == []
    assert found("Noong Mayo 2019 pa lang kinakabahan na ako.") == {("date", "Mayo 2019")}


def test_country_alone_is_not_a_place_but_a_city_is():
    assert detect("I worked in Japan for two years.") == []
    assert found("I worked in Osaka for two years.") == {("place", "Osaka")}


def test_numbers_that_are_not_ages_or_contacts():
    assert detect("Three hearings, 12 postponements, at 2 taon ng paghihintay.") == []


# --- extra terms -------------------------------------------------------------------------------


def test_extra_terms_match_whole_words_in_any_case():
    text = "Ang pamilya Macaraeg ay tahimik. MACARAEG din ang apelyido ng pinsan ko."
    findings = detect(text, extra_terms=["macaraeg"])
    assert [(f.kind, f.text) for f in findings] == [("name", "Macaraeg"), ("name", "MACARAEG")]
    assert detect("ang mga macaraegan ay tahimik.", extra_terms=["macaraeg"]) == []


def test_extra_terms_can_hold_several_words():
    assert ("name", "bahay na bato") in found(
        "Nakatira kami sa bahay na bato.", extra_terms=["Bahay na Bato"]
    )


@pytest.mark.parametrize(
    "text, term, expected",
    [
        ("Tahimik ang mga niña roon.", "Nina", "niña"),
        ("ang señora ang nagbukas ng pinto.", "Senora", "señora"),
        ("Taga pinahan kami noon.", "piñahan", "pinahan"),
        ("NIÑA din ang tawag sa kanya.", "nina", "NIÑA"),
        # typed as a letter and an accent of its own: the accent belongs to the word
        ("Tahimik ang mga taga-nin\u0303a roon.", "nina", "nin\u0303a"),
        ("ang sen\u0303ora at ang nin\u0303a", "Niña", "nin\u0303a"),
    ],
)
def test_extra_terms_match_with_or_without_accents_as_the_editor_s_search_does(text, term, expected):
    findings = detect(text, extra_terms=[term])
    assert [(f.kind, f.text) for f in findings] == [("name", expected)]
    assert all(text[f.start : f.end] == f.text for f in findings)


def test_an_accent_does_not_make_a_longer_word_a_sensitive_one():
    assert detect("ang mga niñang tahimik", extra_terms=["Nina"]) == []


def test_without_extra_terms_a_lower_case_word_is_not_flagged():
    assert detect("ang pamilya macaraeg ay tahimik.") == []


# --- offsets and shape of the result -----------------------------------------------------------


def _dev_rows() -> list[dict]:
    with DEV_SET.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_offsets_match_the_text_and_findings_are_sorted_without_overlap():
    texts = [row["text"] for row in _dev_rows()] + [
        "Si Ate Nena, taga-Iloilo, 0917 555 0100, @nena.speaks, 12 years old, March 3, 2019.",
        "Sa Sto. Niño Parish sa Brgy. Sta. Lucia, Talisay City.",
    ]
    for text in texts:
        findings = detect(text)
        for finding in findings:
            assert isinstance(finding, Finding)
            assert text[finding.start : finding.end] == finding.text
            assert finding.kind in {
                "name",
                "place",
                "contact",
                "handle",
                "age",
                "date",
                "institution",
            }
        for left, right in pairwise(findings):
            assert left.end <= right.start


def test_empty_and_punctuation_only_text():
    assert detect("") == []
    assert detect(" ... !? ") == []


def test_work_grows_in_step_with_the_text():
    """Twice the text, about twice the work: a long reflection costs no more per character than a short one.

    Counted in Python function calls, which do not depend on the machine; the time it takes is measured by
    bench/detector.py and written to docs/identifiers.md."""
    text = " ".join(row["text"] for row in _dev_rows())[:2000]
    detect(text)  # loads the word lists
    once, twice = python_calls(detect, text), python_calls(detect, f"{text}\n\n{text}")
    assert once > 1000, "the count sees the detector's work"
    assert twice <= 2.2 * once




# --- the labelled evaluation set ---------------------------------------------------------------


def _readme_score(rows: list[dict]) -> tuple[dict[str, int], dict[str, float], float]:
    """Spans per kind, recall per kind and precision, scored as tests/data/pii_README.md does (its code)."""
    caught, total, tp, nf = {}, {}, 0, 0
    for r in rows:
        found_spans = [(f.start, f.end) for f in detect(r["text"])]
        nf += len(found_spans)
        tp += sum(any(a < s["end"] and s["start"] < b for s in r["spans"]) for a, b in found_spans)
        for s in r["spans"]:
            total[s["kind"]] = total.get(s["kind"], 0) + 1
            caught[s["kind"]] = caught.get(s["kind"], 0) + any(
                a < s["end"] and s["start"] < b for a, b in found_spans
            )
    return total, {k: caught[k] / total[k] for k in total}, (tp / nf if nf else 1.0)


# The targets: recall per kind, and precision.
TARGETS = {"name": 0.95, "place": 0.95, "contact": 0.95, "age": 0.90, "date": 0.90, "handle": 0.90,
           "institution": 0.90, "precision": 0.80}


# The dev set (the rules were written while reading it) and five held-out sets, each written without looking at
# the rules. The rules added after each held-out set's first run were written for its misses, so passing here is a
# regression check, not a fresh estimate (docs/identifiers.md has the first runs).
@pytest.mark.parametrize("labelled_set, minimum", [
    (DEV_SET, TARGETS),
    (HOLDOUT_SET, TARGETS),
    (SECOND_HOLDOUT_SET, TARGETS),
    (THIRD_HOLDOUT_SET, TARGETS),
    (FOURTH_HOLDOUT_SET, TARGETS),
    (FIFTH_HOLDOUT_SET, TARGETS),
], ids=["dev", "holdout", "holdout2", "holdout3", "holdout4", "holdout5"])
def test_labelled_set_recall_and_precision(labelled_set, minimum):
    with labelled_set.open(encoding="utf-8") as handle:
        total, recall, precision = _readme_score([json.loads(line) for line in handle])

    assert set(total) == {"name", "place", "contact", "handle", "age", "date", "institution"}
    for kind, value in recall.items():
        assert value >= minimum[kind], (kind, value)
    assert precision >= minimum["precision"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Katorse anyos ako nang tumestigo.", {("age", "Katorse anyos")}),
        ("Edad dose lang siya noon.", {("age", "dose")}),
        ("Nung bente'y dos ako, natapos ang kaso.", {("age", "bente'y dos")}),
        ("I work at Starbucks now, and nobody there knows.", {("institution", "Starbucks")}),
        ("Nag-work ako sa isang 7-Eleven habang may kaso.", {("institution", "7-Eleven")}),
        (
            "Ondoy, my neighbor from the next street, called the police.",
            {("name", "Ondoy")},
        ),
        ("Popoy, ang pinsan ko, ang unang naniwala.", {("name", "Popoy")}),
    ],
)
def test_spanish_ages_brand_workplaces_and_appositive_names(text, expected):
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I started selling taho at sixteen to pay for the fare to court.", {("age", "sixteen")}),
        ("Umalis ako sa bahay at twelve, and I never went back.", {("age", "twelve")}),
        ("The hearing started at ten and ended at noon.", set()),
        ("Bumalik kami at nine o'clock para sa resulta.", set()),
        ("We spoke to the prosecutor at 9 in the morning.", set()),
        ("Sa Hong Kong nagtatrabaho ang tita ko.", {("place", "Hong Kong")}),
        ("My mother still works in Macau.", {("place", "Macau")}),
        ("My sister works in Singapore now.", set()),
        ("Lumipat kami sa Phase 3 noong may kaso pa.", {("place", "Phase 3")}),
        ("We lived in Project 6 before the shelter.", {("place", "Project 6")}),
        ("Dumadaan pa rin ako sa Provincial Road pauwi.", {("place", "Provincial Road")}),
        ("Our project is a letter to the court.", set()),
    ],
)
def test_ages_said_with_at_numbered_neighbourhoods_roads_and_cities_listed_as_territories(text, expected):
    assert found(text) == expected  # exactly: a time of day, a country or "our project" is flagged as nothing


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nagsimula ang trial noong Okt. 2021 sa Pasig.", {("date", "Okt. 2021"), ("place", "Pasig")}),
        ("Two years ago. 2019 was the year I testified.", set()),  # "ago." is no month
        ("Ang pagdinig ay noong Marso a-3, 2020.", {("date", "Marso a-3, 2020")}),
        ("Sumulat ka sa bangon.tayo [at] example [dot] org kung gusto mo.",
         {("contact", "bangon.tayo [at] example [dot] org")}),
        ("I turned 16 the week the verdict came.", {("age", "16")}),
        ("The meter turned 5 pm before we left.", set()),
        ("Galing ako sa iloilo, tapos lumipat sa roxas.", {("place", "iloilo"), ("place", "roxas")}),
        ("nakatira kami sa cubao, qc noon", {("place", "qc")}),
        ("Tumira kami sa bago naming bahay.", set()),  # bago is a city and the word "new"
        ("Salamat, bago ako umalis ng shelter.", set()),
        ("si carmela ang unang nakinig", {("name", "carmela")}),
        ("Si yung tita ko ang sumama sa korte.", set()),  # "yung" is in census name lists too
        ("Rosario told the judge everything.", {("name", "Rosario")}),  # a town's name, but a town does not tell
        ("Mama told me to rest.", set()),
        ("The boat waited at Pier 2 until dawn.", {("place", "Pier 2")}),
    ],
)
def test_phone_typing_filipino_dates_hidden_emails_and_first_names_that_are_also_towns(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Write to kapwa.lakas at yahoo dot com if you want to join.", {("contact", "kapwa.lakas at yahoo dot com")}),
        ("Look at the map at the back.", set()),
        ("Her daughter was just 9 when the case started.", {("age", "9")}),
        ("There were only 7 of us at the hearing.", set()),
        ("The fare was only 8 pesos then.", set()),
        ("My cousin is turning 12 this June.", {("age", "12")}),
        ("Tumestigo ako noong 2016 sa harap ng video camera.", {("date", "2016")}),
        ("They rescued us in 2011, before the new law.", {("date", "2011")}),
        ("Nung 2019 kami na-rescue ng mga pulis.", {("date", "2019")}),
        ("In 2022 the law changed, and RA 11930 was signed.", set()),
        ("Marisol here, from the youth circle.", {("name", "Marisol")}),
        ("Everyone here, please take a break.", set()),
        ("Five NGOs and two LGUs joined the talk.", set()),
    ],
)
def test_spelled_out_emails_ages_of_others_years_of_a_rescue_and_introductions(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nagtatrabaho ako, pero sa GCash ko pinapadala ang sweldo.",
        "Nagtatrabaho ako sa 24-Hour shift ngayon.",
        "Ewan, my aunt never explained why.",
        "I was working on my statement when my aunt posted on Facebook.",
    ],
)
def test_new_rules_leave_wallets_durations_and_interjections_alone(text):
    assert detect(text) == []


def test_evaluate_command_prints_scores_misses_and_false_alarms():
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "roundtable", "evaluate-detector", str(DEV_SET)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr  # no warning to alarm a newcomer
    out = result.stdout
    for kind in ("name", "place", "contact", "handle", "age", "date", "institution"):
        assert f"  {kind}" in out
    for heading in (
        "overall recall:",
        "overall precision:",
        "negative lines with a finding:",
        "misses (",
        "false alarms (",
    ):
        assert heading in out


@pytest.mark.parametrize(
    "lines, refusal",
    [
        ('{"text": "Si Boyet", "spans": []}\nnot json\n', "line 2 is not JSON"),
        ('{"text": "hello"}\n', 'line 1 has no "spans" (a list; [] for a line with nothing to find)'),
        ('\n{"spans": []}\n', 'line 2 has no "text"'),
        ('["Si Boyet", []]\n', 'line 1 has no "text"'),
        ('{"text": "Si Boyet", "spans": [{"start": 3, "end": 8}]}\n',
         'line 1 has a span without "start" and "end" (whole numbers) and "kind" '
         "(one of name, place, contact, handle, age, date, institution)"),
        ('{"text": "Si Boyet", "spans": [{"start": "3", "end": 8, "kind": "name"}]}\n', "line 1 has a span without"),
        ('{"text": "Si Boyet", "spans": [{"start": 3, "end": 8, "kind": "names"}]}\n', "line 1 has a span without"),
        (b'{"text": "Si Boy\xf1", "spans": []}\n', "line 1 is not UTF-8 text"),
        ('{"text": "si Boyet", "spans": [{"start": 30, "end": 80, "kind": "name"}]}\n',
         'line 1 has a span outside its text ("start" 30, "end" 80; the text has 8 characters)'),
        ('{"text": "si Boyet", "spans": [{"start": -1, "end": 3, "kind": "name"}]}\n', "line 1 has a span outside"),
        ('{"text": "si Boyet", "spans": []}\n{"text": "si Boyet", "spans": [{"start": 8, "end": 3, "kind": "name"}]}\n',
         'line 2 has a span whose "end" (3) does not come after its "start" (8)'),
        ('{"text": "si Boyet", "spans": [{"start": 3, "end": 3, "kind": "name"}]}\n', "line 1 has a span whose"),
        ("", "has no lines to score"),  # a wrong path to an empty export is no perfect detector
        ("\n\n", "has no lines to score"),
    ],
)
def test_evaluate_command_names_the_file_and_line_it_cannot_score(app, tmp_path, lines, refusal):
    labelled = tmp_path / "bad.jsonl"
    labelled.write_bytes(lines if isinstance(lines, bytes) else lines.encode())

    result = app.test_cli_runner().invoke(args=["evaluate-detector", str(labelled)])

    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {labelled} {refusal}")
    assert result.output.count("\n") == 1 and result.output.endswith(". Nothing was scored.\n")


def test_a_labelled_line_without_an_id_or_span_texts_is_scored_under_its_line_number():
    from roundtable.services.identifiers import evaluate, read_labelled

    labelled = b'{"text": "Hello. Si Boyet ay dumating.", "spans": [{"start": 0, "end": 5, "kind": "place"}]}'
    rows = read_labelled([b"\n", labelled])

    assert evaluate(rows).misses == [("line 2", "place", "Hello")]


# --- rules added after the second held-out set's first run (docs/identifiers.md) ----------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kasama ko si marites sa bawat hearing.", {("name", "marites")}),
        ("Si tita loleng ang naghatid sa akin sa korte.", {("name", "loleng")}),
        ("Tinawagan ko si ate bebeth bago ang interview.", {("name", "bebeth")}),
        ("Si ate joy ang unang naniwala sa akin.", {("name", "joy")}),
        ("Salamat kay lolo tasyo, hindi ako sumuko.", {("name", "tasyo")}),
        ("Pumunta kami sa Malapascua Island para magpahinga pagkatapos ng kaso.", {("place", "Malapascua Island")}),
    ],
)
def test_names_typed_in_lower_case_after_si_ni_kay_and_islands(text, expected):
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Si nanay ang kasama ko, at si kuya naman ang naghintay sa labas.",
        "Kinausap ko si ate tungkol sa hearing.",
        "Grade 4 pa lang ako noon, kaya hindi ko naintindihan ang lahat.",
        "Tuwing Simbang Gabi at Noche Buena, naaalala ko ang mga taong tumulong sa akin.",
        "The DepEd counselor and PhilHealth paid for part of my therapy.",
    ],
)
def test_kin_words_school_grades_holidays_and_agencies_stay_unflagged(text):
    assert detect(text) == []


def test_a_number_before_pa_lang_ako_is_still_an_age_without_a_grade():
    assert_flags("4 pa lang ako noon nang magsimula ang lahat.", {("age", "4")})


def test_an_english_number_before_lang_ako_is_an_age_too_but_not_one_person():
    """Taglish: "twelve lang ako" (I was only twelve); "one lang ako sa pila" is one person in the line."""
    assert_flags("Noon, twelve lang ako nang tumestigo ako sa korte.", {("age", "twelve")})
    assert_flags("Nine pa lang ako nung una akong humarap sa korte.", {("age", "Nine")})
    assert detect("Kahit one lang ako sa pila, naghintay ako sa korte.") == []


# --- rules added after the third held-out set's first run (docs/identifiers.md) -----------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nagbigay ng statement si PCpl. Dumalagan bago ang hearing.", {("name", "Dumalagan")}),
        ("Si PO2 Abrenica ang kumuha ng salaysay ko.", {("name", "Abrenica")}),
        ("Taga-tarlac ako pero lumaki ako sa caloocan.", {("place", "tarlac"), ("place", "caloocan")}),
        ("Dindo's father testified against him.", {("name", "Dindo")}),
        ("Jomari ay tumestigo rin.", {("name", "Jomari")}),
        ("My co-survivor Liway spoke first.", {("name", "Liway")}),
        ("14 ako noon nang una akong humarap sa korte.", {("age", "14")}),
        ("My tita in Doha gave me her number: +974 5512 3380.", {("place", "Doha"), ("contact", "+974 5512 3380")}),
        ("Dinala kami sa Police Station 9 ng mga social worker.", {("institution", "Police Station 9")}),
        ("K.C. and I waited outside the courtroom.", {("name", "K.C.")}),
        ("Kasama ko si R.J. sa bawat hearing.", {("name", "R.J.")}),
        ("Tolits, kung nababasa mo ito, salamat sa paghihintay.", {("name", "Tolits")}),
    ],
)
def test_ranks_lower_case_places_possessives_ages_foreign_numbers_and_stations(text, expected):
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Tuwing Huwebes Santo at Sabado de Gloria, nagdarasal ako para sa mga batang tumestigo.",
        "Pumunta kami sa Principal's Office, tapos sa Fiscal's Office.",
        "taga-bantay siya sa palengke, at sa bago naming bahay tahimik na.",
        "Nanginginig ang kamay ko nang tawagin ang pangalan ko.",
        "Grade 6 ako noon nang magsimula ang kaso.",
        "Nagkita kami sa may Mang Inasal pagkatapos ng hearing.",
        "The hearing was at 2 P.M. and I waited until 5 P.M. with my social worker.",
        "Under R.A. 9208 the case moved faster.",
        "Sana, kung kaya mo, makinig ka muna.",
    ],
)
def test_holy_week_days_offices_of_a_role_lower_case_words_verbs_and_grades_stay_unflagged(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ako ay 14 na taong gulang noon nang tumestigo ako sa korte.", {("age", "14 na taong gulang")}),
        ("When I was 14 the police came to our house.", {("age", "14")}),
        ("I was only 14 at the hearing.", {("age", "14")}),
        ("Ako ay 14 noon nang tumestigo.", {("age", "14")}),
        ("Katorse ako noon.", {("age", "Katorse")}),
        ("Nung ako'y 9 na taon, lumipat kami.", {("age", "9")}),
        ("Nung ako'y 9, walang tumulong.", {("age", "9")}),
        ("Noong ako ay 12, nagsimula ang kaso.", {("age", "12")}),
        ("when they were 9 the abuse started online.", {("age", "9")}),
        ("My pastor at Jesus is Lord Church helped me.", {("institution", "Lord Church")}),
        ("Follow me on Facebook at bituinlakas22 for updates.", {("handle", "bituinlakas22")}),
        ("Find me on Facebook as Bituin Lakas.", {("handle", "Bituin Lakas")}),
        ("I-add ninyo ako sa FB, Bituin Lakas ang pangalan ko doon.", {("name", "Bituin Lakas")}),
    ],
)
def test_ages_with_na_or_after_when_churches_of_religious_words_and_names_given_on_a_platform(text, expected):
    """An editor's working day found these in approved quotes (QA): each is flagged now."""
    assert_flags(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "When I was 5 minutes late the judge waited.",
        "I saw it on Facebook at night.",
        "I posted it on Facebook as a story.",
        "Isa ako noon sa mga tumestigo.",
        "Praise the Lord. Church was full.",
        "I posted about justice on Facebook at 10 pm, and again on Facebook at 3.30.",
        "When we were 5 survivors at the roundtable, we spoke one by one.",
        "Nung ako'y 3 oras na naghintay sa korte.",
        "Noong ako ay 1 sa mga tumestigo, natakot ako.",
        "Nung ako'y 2 taon nang naghihintay, dumating ang sulat.",
        "Dalawang taon kaming naghintay.",
    ],
)
def test_the_new_age_church_and_platform_rules_leave_minutes_nights_stories_and_counts_alone(text):
    assert detect(text) == []


# --- an age is reported as the age alone, so that a label replaces only the age (QA) ----------


@pytest.mark.parametrize(
    "text, ages",
    [
        (
            "When I was twelve years old, I was afraid of the lawyer. The case began when I was nine, and it ended"
            " when I was fourteen.",
            ["twelve years old", "nine", "fourteen"],
        ),
        ("I was only 14 at the hearing.", ["14"]),
        ("My brother was barely 7 then.", ["7"]),
        ("She testified at the age of 15, and again by age 16.", ["15", "16"]),
        ("The youngest witness, aged 10, spoke last.", ["10"]),
        ("I turned 18 the week the verdict came.", ["18"]),
        ("I started selling taho at sixteen to pay for the fare.", ["sixteen"]),
        ("Mag-18 na ako nang matapos ang kaso.", ["18"]),
        ("Nung ako'y 9, walang tumulong.", ["9"]),
        ("Noong ako ay 12, nagsimula ang kaso.", ["12"]),
        ("Ako ay 14 na taong gulang noon nang tumestigo ako.", ["14 na taong gulang"]),
        ("Ako ay 14 noon nang tumestigo.", ["14"]),
        ("Noong 8 ako, hindi ko pa naiintindihan ang korte.", ["8"]),
        ("Nung labing-anim pa lang ako, lumipat kami.", ["labing-anim"]),
        ("4 pa lang ako noon nang magsimula ang lahat.", ["4"]),
        ("15 ako nung unang hearing.", ["15"]),
        ("Katorse ako noon.", ["Katorse"]),
        ("Edad ko noon ay 11 nang dalhin sa shelter.", ["11"]),
        ("Walong taon pa lang ako noon.", ["Walong taon"]),
        ("Katorse anyos ako nang tumestigo.", ["Katorse anyos"]),
        ("Nung 11 years old ako, lumipat kami.", ["11 years old"]),
        ("I was a 9-year-old then, and 10 y/o at the trial.", ["9-year-old", "10 y/o"]),
    ],
)
def test_an_age_is_reported_without_the_words_that_make_it_one(text, ages):
    """Replaced by a label, the age must leave "When I was", "edad" and "ako noon" in place, not take them with it;
    ages that overlap are one, as wide as all of them ("When I was twelve" and "twelve years old")."""
    assert [f.text for f in detect(text) if f.kind == "age"] == ages


@pytest.mark.parametrize(
    "text",
    [
        "I posted about justice on Facebook at 10 pm, after the hearing.",
        "When we were 5 survivors at the roundtable, we spoke one by one.",
        "When I was 5 minutes late the judge waited.",
        "The hearing started at ten and ended at noon.",
        "Grade 4 pa lang ako noon, kaya hindi ko naintindihan ang lahat.",
        "Nung ako'y 3 oras na naghintay sa korte.",
    ],
)
def test_numbers_near_age_words_that_are_no_age_stay_unflagged(text):
    assert [f for f in detect(text) if f.kind == "age"] == []


# --- platforms typed in lower case or short (QA) -----------------------------------------------


@pytest.mark.parametrize(
    "text, handle",
    [
        ("ig ko: rhea.bumangon, para sa updates.", "rhea.bumangon"),
        ("ig: rhea.bumangon lang.", "rhea.bumangon"),
        ("fb ko: rhea.bumangon", "rhea.bumangon"),
        ("tiktok: rheabangon22 kung gusto ninyo.", "rheabangon22"),
        ("You can find me, my ig is rhea.bumangon.", "rhea.bumangon"),
        ("insta ko: rhea.bumangon", "rhea.bumangon"),
        ("follow nyo ko sa ig rhea.bumangon para sa mga tula.", "rhea.bumangon"),
        ("Nasa Insta ako as rhea.bumangon.", "rhea.bumangon"),
        # the name shown on the account, all of it: "Dalupan" alone was found
        ("fb: Rhea Dalupan", "Rhea Dalupan"),
        ("FB ko: Rhea Dalupan, i-add ninyo ako.", "Rhea Dalupan"),
    ],
)
def test_handles_after_platform_words_typed_in_lower_case_or_short(text, handle):
    assert found(text) == {("handle", handle)}


@pytest.mark.parametrize(
    "text",
    [
        "The big: picture.bigger is what matters.",  # "ig" inside a word
        "Nakita ko sa fbi: agents.daw ang dumating.",
        "my ig is private now, and my fb is closed.",
        "I saw it on fb at night, e.g. around ten.",  # letters with dots are no username
        "Sa ig lang ako nagbabasa, i.e. hindi ako nagpo-post.",
    ],
)
def test_platform_look_alikes_and_everyday_words_after_them_are_no_handle(text):
    assert detect(text) == []


# --- Filipino month abbreviations typed without their dot (QA) ----------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nagsimula ang kaso noong Ago 12, 2021.", {("date", "Ago 12, 2021")}),
        ("Ang huling hearing ay Set 9, 2022.", {("date", "Set 9, 2022")}),
        ("Natapos ang lahat noong Dis 3, 2020.", {("date", "Dis 3, 2020")}),
        ("Hun 5 2019 ako unang tumestigo.", {("date", "Hun 5 2019")}),
        ("Noong Dis 2020 pa iyon.", {("date", "Dis 2020")}),
        ("Lumabas ang desisyon noong Okt 3, 2022.", {("date", "Okt 3, 2022")}),  # not a name "Okt"
        ("Noong Peb 14, 2020 kami unang nagkita sa korte.", {("date", "Peb 14, 2020")}),
        ("Set the date for the hearing, please.", set()),
        ("Dis-oras na nang matapos ang hearing.", set()),
        ("Set 9 of the questions was the hardest.", set()),  # a month and a day alone may be a set
    ],
)
def test_filipino_month_abbreviations_without_a_dot_are_dates_next_to_a_year(text, expected):
    assert found(text) == expected


# --- ages as texted: "aq" or "q" for "ako", "lng", "13yrs old", "labing tatlo" (QA) -------------


@pytest.mark.parametrize(
    "text, age",
    [
        ("nung 12 aq, wala pa akong alam sa korte.", "12"),
        ("14 aq nun nang magsimula ang kaso.", "14"),
        ("Wala pa akong alam nung 12 q.", "12"),
        ("13 pa lng aq nun, kaya natakot ako.", "13"),
        ("Tumestigo ako nung katorse aq.", "katorse"),
        ("katorse pa lng ako nang dalhin sa shelter.", "katorse"),
        ("13yrs old lang ako noon.", "13yrs old"),
        ("I was 13yrs old.", "13yrs old"),
        ("labing tatlo ako nun nang tumestigo.", "labing tatlo"),
        ("Ako ay 14 nang mangyari ang lahat.", "14"),
    ],
)
def test_ages_typed_the_way_people_text(text, age):
    assert found(text) == {("age", age)}


@pytest.mark.parametrize(
    "text",
    [
        "Isa ako noon sa mga tumestigo.",
        "Grade 4 pa lng aq noon, kaya hindi ko naintindihan.",
        "Isa pa lang ako sa kanila na nagsalita.",
        "nung 12 q nakita ang mga sulat, umiyak ako.",  # "q" for "ko": when I saw the 12 letters
        "Nung ako'y 2 taon nang naghihintay, dumating ang sulat.",
    ],
)
def test_texted_look_alikes_of_an_age_stay_unflagged(text):
    assert detect(text) == []


# --- a barangay typed in lower case after its cue (QA) -----------------------------------------


@pytest.mark.parametrize(
    "text, place",
    [
        ("taga brgy. maligaya kami, malapit sa ilog.", "brgy. maligaya"),
        ("Lumaki ako sa bgy san roque.", "bgy san roque"),
        ("Lumaki ako sa brgy san roque.", "brgy san roque"),
        ("Lumaki ako sa barangay san roque kasama ang lola ko.", "barangay san roque"),
        ("Ako ay taga Brgy. maligaya.", "Brgy. maligaya"),
        ("Sa amin sa Barangay maligaya, tahimik na ngayon.", "Barangay maligaya"),
    ],
)
def test_a_barangay_typed_in_lower_case_after_its_cue_is_a_place(text, place):
    assert found(text) == {("place", place)}


@pytest.mark.parametrize(
    "text",
    [
        "Pumunta kami sa barangay para magreklamo.",
        "Tumulong ang barangay namin sa kaso.",
        "Ang brgy tanod ang sumama sa amin sa korte.",
        "Sa brgy hall kami unang nagsumbong.",
        "Barangay health worker ang nanay ko.",
        "The barangay workers in our town listened.",
        "sa barangay nagsumbong ang nanay ko.",  # a verb after "barangay" in lower case
        "Barangay officials came to the hearing.",
        "Kumuha ako ng brgy clearance para sa trabaho.",
        "Sa brgy. kami unang pumunta.",
    ],
)
def test_barangay_as_a_thing_stays_unflagged(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Salamat sa Panginoong Hesus.",
        "Purihin ang Panginoong Diyos sa lahat ng ito.",
        "Siya ang Panginoong nagligtas sa akin.",
        "Salamat sa Panginoon, natapos din ang kaso.",
        "Ang Kristong Hari ang kapistahan namin.",
    ],
)
def test_religious_words_joined_by_the_linker_ng_are_no_name_or_place(text):
    """ "Panginoong" (Panginoon + -ng) was flagged as a place or a name (QA)."""
    assert detect(text) == []


# --- a case number identifies the case, and so the child in it ---------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ang kaso ko ay Crim. Case No. 18-1234 sa RTC.", {("institution", "18-1234")}),  # "Crim." is no name
        ("Criminal Case No. R-QZN-19-01234-CR ang kaso namin.", {("institution", "R-QZN-19-01234-CR")}),
        ("Natapos na ang kaso bilang 2019-0456 noong isang taon.", {("institution", "2019-0456")}),
        ("Na-file ang reklamo sa NPS Docket No. XV-12-INQ-19L-0345.", {("institution", "XV-12-INQ-19L-0345")}),
        ("Ang case number ko ay 2020-113, nakasulat sa subpoena.", {("institution", "2020-113")}),
        ("Case No. 5 in our workbook is about courage.", set()),
        ("The case number was on the subpoena, pero hindi ko na maalala.", set()),
        ("Ang kaso bilang isang laban ay mahaba.", set()),
    ],
)
def test_a_case_number_is_flagged_without_the_words_that_make_it_one(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Criminal Case Nos. 12345-67 and 12346-67 ang mga kaso namin.",
            {("institution", "12345-67"), ("institution", "12346-67")},
        ),
        (
            "The accused faced Criminal Case Nos. 12345-67, 12346-67 and 12347-67.",
            {("institution", "12345-67"), ("institution", "12346-67"), ("institution", "12347-67")},
        ),
        (
            "Crim. Case Nos. 12345-67 at 12346-67 ang isinampa.",
            {("institution", "12345-67"), ("institution", "12346-67")},
        ),
        ("Sa Crim. Case No. R-QZN-19-01234, tumestigo ako.", {("institution", "R-QZN-19-01234")}),
        ("CC No. 2019-4412 ang kaso ko sa RTC.", {("institution", "2019-4412")}),
        ("My lawyer wrote C.C. No. 2019-4412 on the folder.", {("institution", "2019-4412")}),
        (
            "CC Nos. 2019-4412 and 2019-4413 were heard together.",
            {("institution", "2019-4412"), ("institution", "2019-4413")},
        ),
        ("Kaso Blg. 1234 ang nakasulat sa subpoena.", {("institution", "1234")}),
        ("Kaso Blg. 1234-19 at 1235-19 ang mga kaso namin.", {("institution", "1234-19"), ("institution", "1235-19")}),
        ("Case No. 1234 at 2019 pa iyon nagsimula.", {("institution", "1234")}),  # after "No." a year stays a year
        ("I cried during the CC at school.", set()),
        ("Case Nos. 5 and 6 in our workbook are about courage.", set()),
        ("Kaso Blg. 12 sa workbook ang pinag-usapan namin.", set()),  # "Blg." (bilang) was flagged as a name
        ("Ayon sa Batas Republika Blg. 7610, protektado ang bata.", set()),
    ],
)
def test_several_case_numbers_and_criminal_cases_written_cc_are_each_flagged(text, expected):
    """ "Criminal Case Nos. 12345-67 and 12346-67" and "CC No. 2019-4412" were missed."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("In Criminal Case Nos. [institution] and 12346-67, he was convicted.", {("institution", "12346-67")}),
        ("Sa Criminal Case Nos. [institusyon] at 12346-67, nahatulan siya.", {("institution", "12346-67")}),
        ("Kaso Blg. [institusyon] at 1235-19 ang mga kaso namin.", {("institution", "1235-19")}),
        ("Kaso Blg. [institusyon] at 1235 ang mga kaso namin.", {("institution", "1235")}),
        ("CC Nos. [institution] and 2019-4413 were decided.", {("institution", "2019-4413")}),
        ("Case No. [institution] and 2019-4413 were decided.", {("institution", "2019-4413")}),
        (
            "Case Nos. 12345-67, [institution] and 12347-67 were decided.",
            {("institution", "12345-67"), ("institution", "12347-67")},
        ),
        ("Criminal Case Nos. [institution], [institution] and 12347-67.", {("institution", "12347-67")}),
        ("Kaso Blg. [institusyon] at 2019 pa nagsimula ang pagdinig.", set()),  # a year stays a year
        # names of a list after "sina", "kina" go on after a label too, and after a comma
        ("Kasama ko sina [pangalan] at tasyo sa korte.", {("name", "tasyo")}),
        ("Salamat kina [pangalan] at ate joy.", {("name", "joy")}),
        ("Kasama ko sina [pangalan], Boyet at ana sa korte.", {("name", "Boyet"), ("name", "ana")}),
        ("Kasama ko sina Boyet, Ana at tasyo sa korte.", {("name", "Boyet"), ("name", "Ana"), ("name", "tasyo")}),
        ("Kasama ko sina Boyet, at naging maayos ang lahat.", {("name", "Boyet")}),
    ],
)
def test_a_list_goes_on_after_the_label_an_editors_redaction_left(text, expected):
    """After "Replace with [institution]" on the first case number of "Criminal Case Nos. A and B", B was no longer
    flagged, and the quote could be approved with it (QA)."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kaso Blg. 1234 at 1235 ang mga kaso.", {("institution", "1234"), ("institution", "1235")}),
        (
            "Kaso Blg. 1234, 1235 at 1236 ang isinampa.",
            {("institution", "1234"), ("institution", "1235"), ("institution", "1236")},
        ),
        ("Mga Kaso Blg. 1234 at 1235 ang isinampa.", {("institution", "1234"), ("institution", "1235")}),
        ("Mga kasong kriminal Blg. 1234 at 1235.", {("institution", "1234"), ("institution", "1235")}),
        ("Case No. 4412 and 4413 were heard together.", {("institution", "4412"), ("institution", "4413")}),
        ("cc no. 2019-4412 ang kaso namin.", {("institution", "2019-4412")}),
        ("c.c. no. 2019-4412 ang kaso namin.", {("institution", "2019-4412")}),
        ("CC# 2019-4412 ang kaso namin.", {("institution", "2019-4412")}),
        ("Case No. 4412 and 300 people came to the hearing.", {("institution", "4412")}),  # not written as 4412
        ("Ayon sa Batas Republika Blg. 7610 at 9208, protektado ang bata.", set()),
        ("We installed CC cameras in 2019.", set()),
    ],
)
def test_a_list_after_blg_and_lower_case_cc_no_and_cc_hash_are_case_numbers(text, expected):
    """Filipino has no plural of "Blg.": "Kaso Blg. 1234 at 1235" flagged 1234 alone; "cc no." and "CC#" were missed."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Case No. 4412 and 2019-2020 were the hardest years for me.", {("institution", "4412")}),
        ("Ang Kaso Blg. 1234 at 2019-2020 pa nagsimula ang pagdinig.", {("institution", "1234")}),
        ("Case No. 4412 and 2018-19 were hard years.", {("institution", "4412")}),
        ("Case No. 4412 and 24/7 support from my social worker helped me.", {("institution", "4412")}),
        ("Kaso Blg. 1234 at 24/7 na suporta ng DSWD ang tumulong sa akin.", {("institution", "1234")}),
        ("My case no. 4412 and 50/50 chance of winning scared me.", {("institution", "4412")}),
    ],
)
def test_a_range_of_years_or_a_fraction_after_a_case_number_is_no_second_one(text, expected):
    """ "2019-2020", "24/7" and "50/50" after "Case No. 4412 and" were flagged as case numbers (QA)."""
    assert found(text) == expected


# --- an age in Filipino number words before "pa lang ako" ----------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sampu pa lang ako noon nang magsimula ang kaso.", {("age", "sampu")}),
        ("Labing-isa pa lang ako nang dalhin sa shelter.", {("age", "Labing-isa")}),
        ("Labindalawa na ako noon, kaya naintindihan ko na.", {("age", "Labindalawa")}),
        ("lima pa lng aq nun, wala pa akong alam.", {("age", "lima")}),
        ("siyam na taon pa lang ako noon.", {("age", "siyam na taon")}),
        ("Isa pa lang ako sa kanila na nagsalita.", set()),
        ("Isa na ako sa mga leader ngayon.", set()),
        ("Dalawa pa lang kami sa grupo noon.", set()),
    ],
)
def test_an_age_in_filipino_number_words_before_pa_lang_ako(text, expected):
    assert found(text) == expected


# --- the name shown on a messaging app typed in lower case -----------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sa messenger ko: Rhea Dalupan", {("handle", "Rhea Dalupan")}),  # "Dalupan" alone was found
        ("I-add ninyo ako sa messenger ko: Rhea Dalupan, para sa updates.", {("handle", "Rhea Dalupan")}),
        ("telegram ko: lakasngloob", {("handle", "lakasngloob")}),
        ("viber ko si Rhea Dalupan", {("name", "Rhea Dalupan")}),
        ("sa messenger ko na lang kayo mag-message.", set()),
        ("a messenger: hope, sabi ng pastor namin.", set()),
    ],
)
def test_a_name_after_a_messaging_app_typed_in_lower_case_is_the_account(text, expected):
    assert found(text) == expected


# --- a Filipino month abbreviation before a day alone, as "Oct 3" ----------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lumabas ang desisyon noong Okt 3.", {("date", "Okt 3")}),  # was flagged as a name "Okt"
        ("Peb 14 ang huling hearing ko.", {("date", "Peb 14")}),
        ("noong Set 14 ang unang hearing.", {("date", "Set 14")}),
        ("Nung Dis 25 kami huling nagkita.", {("date", "Dis 25")}),
        ("The verdict came on Oct 3.", {("date", "Oct 3")}),
        ("Set 9 of the questions was the hardest.", set()),
        ("Dis 3 days na akong hindi makatulog bago ang hearing.", set()),
    ],
)
def test_a_filipino_month_abbreviation_before_a_day_is_a_date_as_oct_3_is(text, expected):
    assert found(text) == expected


# --- a word about the account after a platform is no username ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my fb is deactivated, kaya sa email na lang.",
        "My old fb is hacked, please ignore its messages.",
        "ig ko: deleted na, after the hearing.",
    ],
)
def test_an_everyday_word_about_the_account_after_a_platform_is_no_username(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("IG: kindness", {("handle", "kindness")}),
        ("IG: @kindness", {("handle", "@kindness")}),
        ("FB: Ana Cruz", {("handle", "Ana Cruz")}),
        ("FB: Ana", {("handle", "Ana")}),
        ("sa IG ko na kindness_22", {("handle", "kindness_22")}),
        ("sa IG ko na Kindness_22 kayo mag-message.", {("handle", "Kindness_22")}),
        ("sa IG ko na kindness22 kayo mag-message.", {("handle", "kindness22")}),
        ("tiktok: lakas.loob", {("handle", "lakas.loob")}),
        ("ig ko: kindness, follow nyo ako.", {("handle", "kindness")}),
        ("Follow me! IG: Kindness lang.", {("handle", "Kindness")}),
        ("My IG: kindness. DM me there.", {("handle", "kindness")}),
        ("Instagram: kindness | FB: Ana Cruz", {("handle", "kindness"), ("handle", "Ana Cruz")}),
        ("username: kindness", {("handle", "kindness")}),
    ],
)
def test_an_everyday_word_that_ends_its_clause_after_a_platform_label_is_the_account(text, expected):
    """ "IG: kindness" was missed: "kindness" is an everyday word."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "IG: wala akong account, pasensya na.",
        "IG: wala.",
        "FB: private",
        "ig ko: hindi ko na binubuksan.",
        "Sa IG ko: Salamat sa lahat ng nagdasal para sa akin.",
        "my IG is kindness itself, sabi ng kaibigan ko.",  # only a label's colon makes an everyday word the account
        "sa FB ko na-post ang mp4 file.",
    ],
)
def test_a_sentence_or_no_account_after_a_platform_label_is_no_username(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("IG: kindness lang po.", {("handle", "kindness")}),
        ("IG: kindness lang po", {("handle", "kindness")}),
        ("X: bituinlakas22", {("handle", "bituinlakas22")}),
        ("my X is bituinlakas22", {("handle", "bituinlakas22")}),
        ("YT: bituinlakas22", {("handle", "bituinlakas22")}),
        ("Snapchat: bituinlakas22", {("handle", "bituinlakas22")}),
        ("Kumu: bituinlakas22", {("handle", "bituinlakas22")}),
        ("WhatsApp: kindness", {("handle", "kindness")}),
        ("Discord: kindness", {("handle", "kindness")}),
        ("signal ko: kindness", {("handle", "kindness")}),
        ("IG: [account], tiktok: hopefulheart", {("handle", "hopefulheart")}),
        # the letter and the words stay words
        ("Nakataas ang Signal No. 2 kaya walang hearing.", set()),
        ("There was discord in our family.", set()),
        ("Point X: we need more shelters.", set()),
        ("Nag-live ako sa Kumu kahapon.", set()),
        ("IG: wala na po", set()),
    ],
)
def test_an_account_after_lang_po_and_after_x_yt_snapchat_whatsapp_and_others(text, expected):
    """ "IG: kindness lang po" and accounts after "X:", "YT:", "Snapchat:", "WhatsApp:" were missed (QA)."""
    assert found(text) == expected


# --- a Bible verse names a book, not a person or a place -------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Juan 3:16 ang paborito kong talata.", set()),
        ("My favourite verse is Jeremiah 29:11.", set()),
        ("Binasa namin ang Roma 8:28 at Santiago 1:5 sa shelter.", set()),
        ("Psalm 23 and Philippians 4:13 are written on my wall.", set()),
        ("Kasama ko si Mark 3:30 ng hapon sa korte.", {("name", "Mark")}),  # a person and a time
        ("Juan helped me at the hearing.", {("name", "Juan")}),
    ],
)
def test_a_bible_verse_is_no_name_or_place(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jeremiah 29", set()),
        ("My favourite chapter is Jeremiah 29.", set()),
        ("Binasa namin ang Awit 23 sa shelter.", set()),
        ("Psalm 23:4 keeps me going.", set()),
        ("Palagi kong binabasa ang Isaiah 41:10.", set()),
        ("Binasa ko ang Jeremias 29 at Isaias 41 bago ang hearing.", set()),
        ("The book of Jeremiah helped me.", set()),
        ("Ang Ebanghelyo ni Juan ang binasa namin.", set()),
        # a number that counts, an age or a time after a name is no chapter
        ("Jeremiah 29 years old na siya nang tumestigo.", {("name", "Jeremiah"), ("age", "29 years old")}),
        ("Daniel 3 times testified for me.", {("name", "Daniel")}),
        ("Kasama ko si Juan 3 ng hapon sa korte.", {("name", "Juan")}),
    ],
)
def test_a_bible_chapter_without_its_verse_or_a_book_named_is_no_name(text, expected):
    """ "Jeremiah 29" was flagged as a name."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("God's messenger is Gabriel.", set()),
        ("The angel Gabriel came in the story we read.", set()),
        ("Naalala ko ang anghel na si Gabriel sa kuwento.", set()),
        ("Gabriel, the messenger of God, brought good news.", set()),
        ("Si Gabriel ang sugo ng Diyos sa kuwento.", set()),
        ("The archangel Michael protects us.", set()),
        # a person called Gabriel, or called one's angel
        ("My cousin Gabriel testified too.", {("name", "Gabriel")}),
        ("My angel Gabriel held my hand in court.", {("name", "Gabriel")}),
        ("Si Gabriel ang social worker ko.", {("name", "Gabriel")}),
        ("Angel Gabriel testified.", {("name", "Angel Gabriel")}),
    ],
)
def test_an_archangel_named_as_one_is_a_religious_figure_not_a_person(text, expected):
    """ "God's messenger is Gabriel" and "the angel Gabriel" were flagged as names."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ang Aklat ni Jeremias ay tumulong sa akin.", set()),
        ("Binasa ko ang aklat ni Isaias.", set()),
        ("Ang Mabuting Balita ayon kay Mateo ang binasa namin.", set()),
        ("Ang Ebanghelyo ayon kay Juan ang binasa namin.", set()),
        ("The Gospel according to Matthew comforted me.", set()),
        ("Ang Unang Sulat ni Pablo sa mga Taga-Corinto ay binasa namin.", set()),
        ("Paul's first letter to the Corinthians helped me.", set()),
        ("Binasa ko ang Sulat ni Pablo.", set()),
        ("Ang Sulat ni Santiago ay nagturo sa akin ng pasensya.", set()),
        ("San Miguel Arkanghel, ipagtanggol mo kami.", set()),
        ("San Rafael Arkanghel, ipanalangin mo kami.", set()),
        ("Si San Miguel Arkanghel ang tagapagtanggol ko.", set()),
        # people after "ni", "kay", a person's letter, a surname, a town and a parish named after the archangel
        ("Ang aklat ni Boyet ay nasa bahay pa.", {("name", "Boyet")}),
        ("Ayon kay Mateo, hindi na siya babalik.", {("name", "Mateo")}),
        ("Binasa ko ang sulat ni Pablo sa akin.", {("name", "Pablo")}),
        ("Binigay sa akin ang sulat ni Santiago Reyes.", {("name", "Santiago Reyes")}),
        ("Lumipat kami sa San Miguel noong bata ako.", {("place", "San Miguel")}),
        ("Nagdasal kami sa San Miguel Arkanghel Parish.", {("institution", "San Miguel Arkanghel Parish")}),
    ],
)
def test_filipino_bible_titles_and_archangels_invoked_as_saints_are_no_name_or_place(text, expected):
    """ "Aklat ni Jeremias", "Sulat ni Pablo sa mga Taga-Corinto", "San Miguel Arkanghel" were flagged while "the book
    of Jeremiah" and "Saint Michael the Archangel" were not (QA)."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hindi ko alam kung bakit Sya umalis, pero Sya ang unang naniwala.",
        "Sya ang tumulong, at Sya rin ang naniwala sa akin.",
        "Salamat kay Sya, at sa awa Nya natapos ang kaso.",
    ],
)
def test_pronouns_as_texted_and_capitalised_are_no_name_or_place(text):
    """ "Sya" and "Nya" are "siya" and "niya" as typed on phones."""
    assert detect(text) == []


# --- accounts in a sentence, ranges of case numbers, full names and placeholder letters (QA) -----------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("IG: kindness lang ang handle ko", {("handle", "kindness")}),
        ("IG: kindness lang ang handle ko, i-follow nyo ako.", {("handle", "kindness")}),
        ("TikTok: bangon yung username ko doon.", {("handle", "bangon")}),
        ("IG: kindness is my handle, for anyone who needs to talk.", {("handle", "kindness")}),
        ("my IG is kindness", {("handle", "kindness")}),
        ("My IG is kindness. Message me after the hearing.", {("handle", "kindness")}),
        ("Her IG account is kindness, sabi ng social worker.", {("handle", "kindness")}),
        ("ang IG ko ay kindness", {("handle", "kindness")}),
        ("Ang IG account ko ay kindness lang po.", {("handle", "kindness")}),
        ("my FB is Kindness Reyes", {("handle", "Kindness Reyes")}),
        ("Ang FB ko ay Kindness Reyes.", {("handle", "Kindness Reyes")}),
    ],
)
def test_an_account_named_as_such_or_after_my_ig_is_is_a_handle(text, expected):
    """ "IG: kindness lang ang handle ko", "my IG is kindness" and "ang IG ko ay kindness" were missed (QA)."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "sabi ni Nanay sa FB ko: ingat.",
        "Nag-comment si Ate sa FB ko: laban!",
        "My lola wrote on my IG: courage.",
        "IG: iba ang account ko ngayon.",
        "my IG is kindness itself, sabi ng kaibigan ko.",
        "My IG is down since the hearing.",
        "my fb is boring.",
        "Ang FB ko ay sarado.",
        "Point X is important for the prosecutor.",  # no one's account
        "The FB is down.",
    ],
)
def test_a_message_quoted_from_a_platform_or_a_word_describing_an_account_is_no_handle(text):
    """ "sabi ni Nanay sa FB ko: ingat." flagged "ingat" as the account (QA)."""
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Criminal Case Nos. 12345-67 to 69", {("institution", "12345-67"), ("institution", "69")}),
        ("Kaso Blg. 12345-67 hanggang 69", {("institution", "12345-67"), ("institution", "69")}),
        ("Criminal Case Nos. 1234 to 36 were heard together.", {("institution", "1234"), ("institution", "36")}),
        ("Mga Kaso Blg. 1234 hanggang 1236 ang isinampa.", {("institution", "1234"), ("institution", "1236")}),
        ("Criminal Case Nos. [institution] to 69 were decided.", {("institution", "69")}),  # after a redaction
        ("Kaso Blg. [institusyon] hanggang 69 ang isinampa.", {("institution", "69")}),
        # a time, a length of time, a year or a smaller number is no range's end
        ("Case No. 1234 to 5 pm ang hearing.", {("institution", "1234")}),
        ("Kaso Blg. 1234 hanggang 3 ng hapon ang pagdinig.", {("institution", "1234")}),
        ("Kaso Blg. 1234 hanggang 2019 pa bago natapos.", {("institution", "1234")}),
        ("Case No. 1234 to 2 years lang ang hatol.", {("institution", "1234")}),
        ("Case No. 1234 to 12 of us testified.", {("institution", "1234")}),
    ],
)
def test_the_end_of_a_range_of_case_numbers_is_flagged_too(text, expected):
    """ "Nos. 12345-67 to 69" flagged "12345-67" alone (QA)."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kaso Blg. [institusyon] at 2019", set()),
        ("Criminal Case Nos. [institution] and 2019 was the year it ended.", set()),
        ("Criminal Case Nos. 12345-67 and 2019 were the hardest for me.", {("institution", "12345-67")}),
        ("Criminal Case Nos. 2018 and 2019 were heard together.", {("institution", "2018"), ("institution", "2019")}),
        # "at" is "and" in a list, not the English "at" of an age
        ("Kaso Blg. [institusyon] at 18-1234 ang mga kaso.", {("institution", "18-1234")}),
        ("Kaso Blg. 12-345 at 15-346 ang isinampa.", {("institution", "12-345"), ("institution", "15-346")}),
        ("Kaso Blg. [institusyon] at 1235", {("institution", "1235")}),
    ],
)
def test_after_a_redaction_label_a_year_is_no_case_number_and_a_listed_number_no_age(text, expected):
    """ "Kaso Blg. [institusyon] at 18-1234" reported the age "18" (the "-1234" stayed when replaced), and after
    "Nos." a year written otherwise than the first number was a case number (QA)."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Angel Gabriel Santos", {("name", "Angel Gabriel Santos")}),
        ("Angel Gabriel Santos testified for me.", {("name", "Angel Gabriel Santos")}),
        ("Angel Gabriel Santos ang tumestigo para sa akin.", {("name", "Angel Gabriel Santos")}),
        ("Angel Gabriel testified.", {("name", "Angel Gabriel")}),
        ("Gabriel Santos held my hand in court.", {("name", "Gabriel Santos")}),
        ("Juan P. Santos ang abogado ko sa korte.", {("name", "Juan P. Santos")}),
        ("Grace Dizon helped me after the hearing.", {("name", "Grace Dizon")}),
        ("Miguel Rafael Santos ang pangalan ng pinsan ko.", {("name", "Miguel Rafael Santos")}),
        ("Pumunta kami sa Santos pagkatapos ng hearing.", {("place", "Santos")}),  # a town stays a town
        ("May God bless every survivor.", set()),
        ("Grace Period ang tawag doon ng abogado.", set()),
    ],
)
def test_a_full_name_opening_with_an_archangels_or_a_bibles_name_is_flagged_whole(text, expected):
    """ "Angel Gabriel Santos" flagged "Santos" alone, as a town (QA)."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. X told me to wait outside the courtroom.", set()),
        ("Sabi ni Mr. X, hintayin ko raw ang hukom.", set()),
        ("Ms. Y and Mr. Z testified in the story.", set()),
        ("He needed an X-ray after the hearing.", set()),
        ("Kailangan ko ng X-ray bago ang hearing.", set()),
        ("The angel Gabriel came to Mary.", set()),
        ("Sa kuwento, ang anghel na si Gabriel ay nagpakita kay Maria.", set()),
        # a person stays one: with a surname, with initials, or visited by no archangel
        ("Mrs. D. Reyes helped me.", {("name", "D. Reyes")}),
        ("We visited Mary in the hospital.", {("name", "Mary")}),
        ("Binisita ko si Maria sa shelter.", {("name", "Maria")}),
    ],
)
def test_a_placeholder_letter_a_letter_joined_to_a_word_and_mary_in_the_bible_are_no_name(text, expected):
    """ "Mr. X" and "X-ray" were flagged as names and "Mary" in "the angel Gabriel came to Mary" as a place (QA)."""
    assert found(text) == expected


# --- ages in words, schools named with a place, a town with its province -------------------------


@pytest.mark.parametrize(
    "text, ages",
    [
        # the same patterns as in digits ("9 na taon ako noon", "Ako ay 14 noon"), with numbers in words
        ("9 na taon ako noon nang dalhin kami sa shelter.", ["9 na taon"]),
        ("Dose na taon ako noon nang tumestigo.", ["Dose na taon"]),
        ("Siyam years old ako nung unang hearing.", ["Siyam years old"]),
        ("Trese taong gulang ako nang magsimula ang kaso.", ["Trese taong gulang"]),
        ("Ako ay labindalawa noon nang tumestigo.", ["labindalawa"]),
        ("Nung ako'y labing-isa, walang tumulong.", ["labing-isa"]),
        ("Nung siya ay lima, lumipat sila sa lungsod.", ["lima"]),
        ("Twelve ako nung unang hearing.", ["Twelve"]),
        ("Mag-disiotso ako bago matapos ang kaso.", ["disiotso"]),
        ("I was a nine y/o then, and ten y/o at the trial.", ["nine y/o", "ten y/o"]),
    ],
)
def test_an_age_in_words_is_flagged_as_the_same_age_in_digits_is(text, ages):
    assert [f.text for f in detect(text) if f.kind == "age"] == ages


@pytest.mark.parametrize(
    "text",
    [
        "Ako ay isa noon sa mga tumestigo.",  # "one of", as "isa" is after "ako"
        "Nung ako'y isa sa mga saksi, natakot ako.",
        "One ako nung dumating ang pulis sa pila.",
        "Mag-isa ako noon sa shelter.",
        "Siya ay limang taon nang naghihintay ng hustisya.",
        "Siyam na tao ang dumalo sa hearing.",
        "Nine years later, I testified again.",
    ],
)
def test_number_words_that_are_no_age_stay_unflagged(text):
    assert [f for f in detect(text) if f.kind == "age"] == []


@pytest.mark.parametrize(
    "text, institution",
    [
        ("Nag-aral ako sa Pook Elementary hanggang Grade 4.", "Pook Elementary"),
        ("I went to Pook Elementary before the case.", "Pook Elementary"),
        ("I finished at Pook Elementary School in the end.", "Pook Elementary School"),
        ("My teacher at San Roque National High School believed me.", "San Roque National High School"),
        ("Lumipat ako sa Pook Integrated School.", "Pook Integrated School"),
        ("Nag-aral ako sa Mababang Paaralan ng Pook.", "Mababang Paaralan ng Pook"),
        ("Nag-aral ako sa Paaralang Elementarya ng Pook.", "Paaralang Elementarya ng Pook"),
        ("Sa Mataas na Paaralang Pambansa ng Pook ako nag-aral.", "Mataas na Paaralang Pambansa ng Pook"),
        ("Mabait ang guro ko sa Paaralang Sentral ng Pook.", "Paaralang Sentral ng Pook"),
    ],
)
def test_a_school_named_with_a_place_is_one_institution(text, institution):
    """ "Pook Elementary" was not flagged, and "Mababang Paaralan ng Pook" lost its first word."""
    assert [f.text for f in detect(text) if f.kind == "institution"] == [institution]


@pytest.mark.parametrize(
    "text",
    [
        "In Elementary I was shy at the hearing.",
        "Sa Elementary pa lang ako noon.",
        "Our Elementary School teacher helped.",
    ],
)
def test_school_words_alone_name_no_school(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, places",
    [
        ("We lived in Rosario Batangas before the trial.", ["Rosario Batangas"]),
        ("Lumaki ako sa Bauang La Union.", ["Bauang La Union"]),
        ("We moved to Santa Rosa Laguna after the hearing.", ["Santa Rosa Laguna"]),
        ("Lumaki ako sa Rosario, Batangas.", ["Rosario", "Batangas"]),  # labelled as two with a comma
    ],
)
def test_a_town_and_its_province_without_a_comma_are_one_place(text, places):
    """ "Rosario Batangas" gave two places, and "Bauang La Union" lost the town."""
    assert [f.text for f in detect(text) if f.kind == "place"] == places


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We visited Mary after the hearing.", {("name", "Mary")}),
        ("Binisita namin si Ate at Mary sa shelter.", {("name", "Mary")}),
        ("My aunt works in Mary, Turkmenistan.", {("place", "Mary")}),
        ("We visited Mary, Turkmenistan, for the conference.", {("place", "Mary")}),
        ("Galing pa ng Milan si Tita Chedeng.", {("place", "Milan"), ("name", "Chedeng")}),
        ("Nasa Sofia ang nanay ko ngayon.", {("place", "Sofia")}),
    ],
)
def test_a_first_name_that_is_also_a_city_abroad_is_a_name_without_a_place_word(text, expected):
    """ "We visited Mary" reported Mary as a place, as GeoNames lists a city of that name."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Case Nos. 12345-67 – 69", {("institution", "12345-67"), ("institution", "69")}),
        ("Criminal Case Nos. 12345-67 — 69 were heard.", {("institution", "12345-67"), ("institution", "69")}),
        ("Case Nos. 12345-67 - 69 were heard together.", {("institution", "12345-67"), ("institution", "69")}),
        ("Kaso Blg. 12345-67 – 69 ang isinampa.", {("institution", "12345-67"), ("institution", "69")}),
        ("Case Nos. 12345-67 up to 69", {("institution", "12345-67"), ("institution", "69")}),
        (
            "Criminal Case Nos. 12345-67, 68 and 69 were heard.",
            {("institution", "12345-67"), ("institution", "68"), ("institution", "69")},
        ),
        ("Kaso Blg. 12345-67, 68 at 69", {("institution", "12345-67"), ("institution", "68"), ("institution", "69")}),
        ("Criminal Case Nos. [institution], 68 and 69 were heard.", {("institution", "68"), ("institution", "69")}),
        # a time, a year, a smaller number, or a number after a singular "No." is no range's or list's end
        ("Case No. 1234 – 5 pm ang hearing.", {("institution", "1234")}),
        ("Kaso Blg. 1234 – 2019 pa bago natapos.", {("institution", "1234")}),
        ("Case No. 1234 — 12 of us testified.", {("institution", "1234")}),
        ("Case No. 1234 and 36 others were heard that day.", {("institution", "1234")}),
        ("Kaso Blg. [institusyon] at 18 ako noon.", {("age", "18")}),
    ],
)
def test_the_end_of_a_range_after_a_dash_or_up_to_and_a_list_that_counts_on_are_case_numbers(text, expected):
    """ "Case Nos. 12345-67 – 69", "up to 69" and "Nos. 12345-67, 68 and 69" flagged the first number alone (QA r6
    4)."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my IG is kindness and I post about healing.",
        "My IG is kindness and I post about healing.",
        "my IG is kindness so follow me",
        "My IG is kindness but I rarely post there.",
        "ang IG ko ay kindness at doon ako nagpo-post.",
        "Ang IG ko ay kindness kaya i-follow nyo ako.",
    ],
)
def test_my_ig_is_a_word_is_a_handle_when_another_clause_follows(text):
    """ "my IG is kindness and I post about healing." was not flagged; only "my IG is kindness." was (QA r6 5)."""
    assert found(text) == {("handle", "kindness")}


@pytest.mark.parametrize("text", ["my IG is down and I cannot post.", "ang FB ko ay sarado at wala na."])
def test_a_word_describing_an_account_before_another_clause_is_no_handle(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Maria Santos came to court.", {("name", "Maria Santos")}),
        ("Mary Santos came to court.", {("name", "Mary Santos")}),
        ("I spoke with Mary Santos after the hearing.", {("name", "Mary Santos")}),
        ("Lovely Santos was my lawyer.", {("name", "Lovely Santos")}),
        ("Maria Santos ang abogado ko sa korte.", {("name", "Maria Santos")}),
        ("Kinausap ko si Mary Santos pagkatapos ng pagdinig.", {("name", "Mary Santos")}),
        ("Lovely Santos ang social worker namin.", {("name", "Lovely Santos")}),
        # a town stays a town
        ("Nakatira kami sa Maria, Siquijor.", {("place", "Maria"), ("place", "Siquijor")}),
        ("Lovely weather in Santos after the hearing.", {("place", "Santos")}),
    ],
)
def test_a_first_name_that_is_a_town_or_a_word_before_a_town_surname_is_one_name(text, expected):
    """ "Maria Santos came to court." flagged the town "Santos" alone (a label left "Maria"), "Mary Santos" two places
    (QA r6 6)."""
    assert found(text) == expected


# --- accounts after a label and "and", messages on a platform, schools that open a sentence -------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("IG: kindness and I post about healing.", {("handle", "kindness")}),
        ("IG: kindness so follow me.", {("handle", "kindness")}),
        ("IG: kindness at doon ako nagpo-post.", {("handle", "kindness")}),
        ("ig ko: kindness pero i-message nyo muna ako.", {("handle", "kindness")}),
        # "and" with no clause of its own after it: the words are what is posted, not an account
        ("IG: kindness and hope ang laman ng mga post ko.", set()),
        ("IG: kindness and healing, yan ang gusto kong ibahagi.", set()),
    ],
)
def test_an_everyday_word_after_a_label_is_the_account_when_another_clause_follows_and(text, expected):
    """ "IG: kindness and I post about healing." was not flagged: after a label's colon only a word that ends its clause
    was the account."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sa FB ko: ingat.", set()),
        ("Sa FB ko: Ingat po kayo lagi.", set()),
        ("Nakita ko sa IG ko: tapang.", set()),
        # asked to find the writer there, the word is the account
        ("I-add nyo ako sa FB ko: Rhealyn.", {("handle", "Rhealyn")}),
        ("Follow me on IG: tapang", {("handle", "tapang")}),
        ("sa IG ko: rhea.bumangon", {("handle", "rhea.bumangon")}),
    ],
)
def test_what_follows_sa_fb_ko_and_a_colon_is_what_was_written_there(text, expected):
    """ "sa FB ko: ingat." flagged "ingat" as the account: only a word of saying or posting before it made it a
    message."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("San Roque Elementary ang paaralan ko noon.", {("institution", "San Roque Elementary")}),
        ("San Roque Elementary School ang una kong paaralan.", {("institution", "San Roque Elementary School")}),
        ("Santa Cruz Academy ang school ko.", {("institution", "Santa Cruz Academy")}),
        ("San Isidro Village ang tinitirhan namin.", {("place", "San Isidro Village")}),
        ("Sa San Roque Elementary ako nag-aral.", {("institution", "San Roque Elementary")}),  # "Sa" is no part
    ],
)
def test_a_saints_name_that_opens_a_sentence_is_part_of_the_school_or_place(text, expected):
    """ "San Roque Elementary" at a sentence's start gave "Roque Elementary": "San" is an everyday word (saan)."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nag-aral ako sa Paaralang Elementarya.",
        "Sa Paaralang Sekondarya ako lumipat noon.",
    ],
)
def test_the_kind_of_a_school_alone_names_no_place_or_school(text):
    """ "Nag-aral ako sa Paaralang Elementarya." flagged "Paaralang Elementarya" as a place."""
    assert detect(text) == []


# --- first names that are words, a name given, a dress, cities that are first names, counts after a case -------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("si lucky ang kasama ko sa hearing.", {("name", "lucky")}),
        ("Ang pangalan ko ay Divine.", {("name", "Divine")}),
        ("ang pangalan niya ay Sweet, at siya ang tumulong.", {("name", "Sweet")}),
        ("My name is Lucky Reyes.", {("name", "Lucky Reyes")}),
        ("Her name is Divine and she believed me.", {("name", "Divine")}),
        ("My friend Sweet came with me to court.", {("name", "Sweet")}),
        ("His name was Mr. Cruz.", {("name", "Cruz")}),  # the title is no part of it
        # the plain words
        ("I felt lucky to be alive.", set()),
        ("Lucky ako na may social worker na tulad niya.", set()),
        ("Naniniwala ako sa divine justice.", set()),
        ("Divine justice will come.", set()),
        ("Sweet words from the judge helped me.", set()),
        ("My name is not important here.", set()),
    ],
)
def test_a_first_name_that_is_also_a_word_is_a_name_only_where_the_words_around_it_say_so(text, expected):
    """ "si lucky" and "ang pangalan ko ay Divine" were not flagged."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Maria Clara gowns were worn at the program.", set()),
        ("Maria Clara at Ibarra ang paborito kong palabas.", set()),
        ("Maria Clara ang suot ko sa Linggo ng Wika.", set()),
        ("Nagsuot ako ng Maria Clara noong Buwan ng Wika.", set()),
        ("I wore a Maria Clara dress to the program.", set()),
        ("Para akong isang Maria Clara noon, tahimik lang.", set()),
        # a person: with a surname, after "si", or with nothing that says dress
        ("Maria Clara Santos testified for me.", {("name", "Maria Clara Santos")}),
        ("Si Maria Clara ang kasama ko sa hearing.", {("name", "Maria Clara")}),
        ("Maria Clara helped me after the hearing.", {("name", "Maria Clara")}),
    ],
)
def test_maria_clara_the_dress_and_the_heroine_is_no_name(text, expected):
    """ "Maria Clara gowns" flagged "Maria Clara" as a name."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("In Houston, Mary helped me find work.", {("place", "Houston"), ("name", "Mary")}),
        ("In Manila, Mary helped me.", {("place", "Manila"), ("name", "Mary")}),
        ("We visited Houston after the trial.", {("place", "Houston")}),
        ("My tita works in Dallas now.", {("place", "Dallas")}),
        # a common first name, or one that acts as a person, is still a person
        ("We visited Mary after the hearing.", {("name", "Mary")}),
        ("Dallas told me to wait outside.", {("name", "Dallas")}),
        ("Si Houston ang kasama ko.", {("name", "Houston")}),
    ],
)
def test_a_city_abroad_that_few_people_are_named_is_a_place(text, expected):
    """ "In Houston, Mary …" flagged "In Houston" as a name ("In" is a census first name), and "We visited Houston" a
    name: every census first name counted as one as common as Mary."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Case No. 1234 — 50 people came to the hearing.", {("institution", "1234")}),
        ("Case Nos. 1234 – 50 others were heard that day.", {("institution", "1234")}),
        ("Kaso Blg. 1234 – 50 katao ang dumalo.", {("institution", "1234")}),
        ("Criminal Case Nos. 12345-67 — 69 were heard.", {("institution", "12345-67"), ("institution", "69")}),
        # said the Filipino way, or counting people by what they are (QA)
        ("Case No. 1234 — 50 na tao ang dumalo.", {("institution", "1234")}),
        ("Kaso Blg. 1234 — 50 sa amin ang dumalo.", {("institution", "1234")}),
        ("Kaso Blg. 1234 — 50 sa kanila ang tumestigo.", {("institution", "1234")}),
        ("Case No. 1234 — 50 kami na dumalo.", {("institution", "1234")}),
        ("Kaso Blg. 1234 — 50 kaming dumalo.", {("institution", "1234")}),
        ("Kaso Blg. 1234 — 60 sila sa korte.", {("institution", "1234")}),
        ("Kaso Blg. 1234 — 70 na biktima ang nakausap.", {("institution", "1234")}),
        ("Case No. 1234 — 50 students came.", {("institution", "1234")}),
        ("Case No. 1234 — 50 victims came.", {("institution", "1234")}),
        ("Case No. 1234 — 80 parents came.", {("institution", "1234")}),
        ("Case No. 1234 — 90 girls testified.", {("institution", "1234")}),
        ("Case No. 1234 — 40 more women joined us.", {("institution", "1234")}),
    ],
)
def test_a_count_after_a_dash_is_no_end_of_a_range_of_case_numbers(text, expected):
    """ "Case No. 1234 — 50 people came" flagged "50" as the end of a range of case numbers."""
    assert found(text) == expected
