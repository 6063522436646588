"""Find details in a reflection or quote that could identify someone.

Pure-Python and rule based, for Filipino, English and Taglish text. Editors still read every quote:
this flags likely identifiers, it does not prove a quote is safe (see docs/identifiers.md).

Regular expressions find contacts, handles, ages and dates. Everything else works on word tokens:
cue words ("si", "Tito", "Atty.", "my cousin", "Barangay", "Purok", "... St."), institution head
nouns ("... Elementary School", "RTC Branch 12"), a gazetteer of Philippine and foreign places
looked up as token n-grams, and a last rule that flags capitalised words in mid-sentence that are
not common words, calendar words, religious words, platforms or agencies.

Run ``flask --app roundtable evaluate-detector FILE.jsonl`` to score a labelled file.
"""

from __future__ import annotations

import json
import re
import string
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
KINDS = ("name", "place", "contact", "handle", "age", "date", "institution")


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str


# --------------------------------------------------------------------------------------------
# Word lists written for this detector (general vocabulary, not names from any data set)
# --------------------------------------------------------------------------------------------

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


CALENDAR_WORDS = _words(
    "january february march april may june july august september october november december"
    " enero pebrero febrero marso abril mayo hunyo junio hulyo julio agosto setyembre septiyembre"
    " setiembre septiembre oktubre octubre nobyembre noviembre disyembre diciembre"
    " jan feb mar apr jun jul aug sep sept oct nov dec"
    " monday tuesday wednesday thursday friday saturday sunday"
    " lunes martes miyerkules miyerkoles huwebes biyernes sabado linggo"
    " pasko christmas easter undas halloween valentine valentines thanksgiving ramadan eid"
    " week year years day month eve"
)
RELIGIOUS_WORDS = _words(
    "god gods diyos panginoon ama lord jesus hesus kristo cristo christ hesukristo allah"
    " bro amen bible biblia bibliya holy spirit espiritu birhen virgin"
    " mo ka niya kanya siya iyo ikaw he him his you your thee thou thy"
)
# The same joined to the next word by the linker -ng ("Panginoong Hesus", "Purihin ang Panginoong Diyos").
RELIGIOUS_WORDS |= _words("panginoong amang kristong cristong hesukristong birheng espiritung")
# Pronouns as texted, capitalised for emphasis or for God as "Siya" is ("at Sya ang naniwala", "ang awa Nya").
TEXTED_PRONOUNS = _words("sya nya cya knya")
LANGUAGE_WORDS = _words(
    "english tagalog filipino filipina pilipino pilipina bisaya binisaya cebuano ilocano ilokano"
    " ilonggo hiligaynon waray kapampangan bikolano bicolano pangasinense chavacano taglish"
    " spanish chinese japanese korean american arabic pinoy pinay british australian canadian"
    " european asian muslim christian catholic katoliko protestant islam"
)
PLATFORM_WORDS = _words(
    "facebook fb messenger tiktok instagram insta ig twitter youtube viber whatsapp telegram signal"
    " zoom google gmail yahoo skype snapchat discord reddit threads kumu gcash g-cash maya paymaya"
    " grabpay shopeepay shopee lazada grab netflix spotify android iphone internet wifi covid"
    " jollibee mcdonald mcdo starbucks milo coke nescafe"
)
# Platform words for talking, paying or media ("sa GCash ko", "on Facebook"): never a workplace.
# The other platform words are brands that employ people ("nagtatrabaho sa Jollibee").
COMMUNICATION_WORDS = _words(
    "facebook fb messenger tiktok instagram insta ig twitter youtube viber whatsapp telegram signal"
    " zoom google gmail yahoo skype snapchat discord reddit threads kumu gcash g-cash maya paymaya"
    " grabpay shopeepay netflix spotify android iphone internet wifi covid milo coke nescafe"
)
# Kinship words, titles and roles: they introduce a name but are never one on their own.
TITLE_WORDS = _words(
    "tito tita tiyo tiya tiyang kuya ate lolo lola nanay tatay inay itay inang amang nanang tatang"
    " mang aling manang manong ninang ninong mama papa mommy daddy mom dad insan"
    " atty attorney fiscal piskal judge hukom ma'am maam madam sir ms mrs mr miss dr doc doktor"
    " doktora pastor father fr sister sr brother teacher titser prof professor engr kap kapitan"
    " kapitana kagawad konsehal mayor governor gov senator sen congressman officer sgt sergeant"
    " coach bb gng captain chairman chairwoman secretary treasurer"
    # occupations used as a form of address: "Kuya Guard", "Manong Driver"
    " guard security sekyu driver nurse cashier janitor vendor tindera tindero yaya crew staff"
)
# Police ranks, present and former, written with a dot or without: "PSSg. Cabrera", "PO2 Reyes".
POLICE_RANKS = _words("pat pcpl pssg psms pmsg pcms pems plt pcpt pmaj pltcol pcol insp supt")
TITLE_WORDS |= POLICE_RANKS | _words("po1 po2 po3 spo1 spo2 spo3 spo4")
# Capitalised words that are never names or places in these texts (emphasis, topic words).
TOPIC_WORDS = _words(
    "i i'm i've i'll i'd survivor survivors healing freedom courage strength hustisya katarungan"
    " pag-asa grade section chapter republic act law batas code article rule court korte hearing"
    " trial case kaso blg branch office shelter school church okay ok social worker prosecutor lawyer"
    " abogado abogada counselor police pulis tanod roundtable philippines pilipinas pinas"
    " ombudsman senate congress sandiganbayan malacanang"
    # national agencies written in mixed case (the all-capital ones are acronyms already)
    " deped philhealth pag-ibig bucor comelec tesda owwa napolcom"
)
# First names that are also everyday words: a name only after a cue ("Ate Joy", "si Hope").
VIRTUE_NAMES = _words(
    "hope faith grace joy love charity mercy patience honor liberty trust truth justice may june"
    " april august will lovely lucky divine sweet"
)
# Phrases that look like names but are religious figures, days or national bodies.
BLOCKED_PHRASES = (
    "Mama Mary", "Mother Mary", "Virgin Mary", "Birheng Maria", "Inang Maria", "Santo Niño",
    "Holy Spirit", "Espiritu Santo", "Our Lady", "Jesus Christ", "Hesukristo", "Ama Namin",
    "Our Father", "Hail Mary", "Holy Family", "Holy Week", "Mahal na Araw", "Bagong Taon",
    "New Year", "Mother's Day", "Father's Day", "Valentine's Day", "Independence Day",
    "Women's Month", "Araw ng Kalayaan", "Supreme Court", "Court of Appeals",
    "Department of Justice", "Department of Social Welfare and Development",
    "Public Attorney's Office", "National Bureau of Investigation", "Philippine National Police",
    "Commission on Human Rights", "International Justice Mission",
    "Inter-Agency Council Against Trafficking", "Online Sexual Abuse and Exploitation of Children",
    "Iglesia ni Cristo", "Republic Act", "Bantay Bata",
    "Noche Buena", "Media Noche", "Simbang Gabi", "Semana Santa", "Araw ng mga Patay", "All Saints' Day",
    "All Souls' Day", "Chinese New Year", "Eid al-Fitr", "Eid al-Adha", "Rizal Day", "Bonifacio Day",
    "Ninoy Aquino Day", "National Heroes Day", "Araw ng Paggawa", "Labor Day",
    "Huwebes Santo", "Biyernes Santo", "Sabado de Gloria", "Domingo de Ramos", "Linggo ng Palaspas",
    "Miyerkules ng Abo", "Mang Inasal",
)

LOCATIVE_WORDS = _words(
    "sa taga in at from to near by around outside inside across within into towards toward"
    " papuntang papunta pauwi pauwing galing mula"
)
# Words before a place that are not said before a person ("to Mary", "at Mary's" may be either).
PLACE_CONTEXT_WORDS = _words("sa nasa taga in from near papuntang papunta galing mula")
NAME_MARKERS = _words("si ni kay sina nina kina")
PLURAL_NAME_MARKERS = _words("sina nina kina")
# Filipino kin words that introduce a name even when written in lower case ("tito Boyet").
LOWERCASE_TITLES = _words(
    "tito tita tiyo tiya kuya lolo lola nanay tatay mang aling manang manong ninang ninong"
)
RELATION_NOUNS = _words(
    "uncle aunt auntie cousin brother sister grandmother grandfather grandma grandpa stepfather"
    " stepmother stepdad stepmom stepbrother stepsister nephew niece friend bestfriend neighbor"
    " neighbour classmate teacher adviser lawyer attorney prosecutor judge worker counselor"
    " counsellor therapist psychologist psychiatrist pastor priest nun officer policeman"
    " policewoman boss manager supervisor coworker co-worker officemate roommate housemate"
    " husband wife partner boyfriend girlfriend son daughter mother father mom dad godmother"
    " godfather caseworker guardian volunteer mentor facilitator interviewer doctor nurse driver"
    " pinsan kapatid kapitbahay kaibigan kaklase guro asawa anak apo amo principal"
)
RELATION_NOUNS |= frozenset(f"co-{noun}" for noun in RELATION_NOUNS)  # "my co-facilitator Hope"
DURATION_WORDS = CALENDAR_WORDS | _words("hour hours minute minutes oras araw taon buwan linggo")
# Letters with dots that are not a person: times, laws and decrees, countries, "P.S.", "I.D.".
NOT_INITIALS = _words("am pm ra pd eo bp us uk usa ps id ok")
SECOND_PERSON_WORDS = _words("mo ka ikaw iyo iyong you your yours")
APPOSITIVE_DETERMINERS = _words("my our his her their the ang yung iyong aking")
KIN_POSSESSORS = _words("mother father mom dad lola lolo nanay tatay")
RELATION_LINKERS = _words("ko kong namin naming niya nila natin ninyo si")
# English words that follow a person's name at the start of a sentence: "Dado was the driver".
PERSON_VERBS = _words(
    "ay"  # Filipino "Dado ay tumestigo"; not "ang", which follows the verbs that open most Filipino sentences
    " and was is said told helped called asked still never always became took gave would could did"
    " had has stood sat held visited testified texted messaged knew believed wrote drove stayed"
    " lives lived works worked"
)
# Filipino little words that US census lists also hold as first names: "Si Ma'am yung nagturo", "si yung tita ko".
# Filipino words typed cut short at their start, after an apostrophe: "'yung" (iyong), "'di" (hindi), "'wag" (huwag).
ELIDED_WORDS = _words("yung yun yan di wag kaw nyo to la")
FILIPINO_LITTLE_WORDS = _words("yung yun ung iyong pa na lang kami may nga sana din rin daw raw po")
# Verbs only a person does, after a first name that is also a place or a word: "Pilar asked", "Grace told".
ACTING_VERBS = _words("said told asked texted messaged testified wrote called helped visited believed knew")
# Endings that turn a listed word into another everyday word: (ending, what the stem may end in).
# "ng" is the Tagalog linker ("bagong" from "bago").
INFLECTION_SUFFIXES = (
    ("ing", ("", "e")), ("ness", ("", "y")), ("ment", ("",)), ("tion", ("te", "t", "")),
    ("ity", ("", "e")), ("ies", ("y",)), ("ied", ("y",)), ("ed", ("", "e")), ("ly", ("",)),
    ("s", ("",)), ("ful", ("",)), ("less", ("",)), ("ng", ("",)),
)
NAMING_WORDS = _words("named called nicknamed alias alyas aka nagngangalang")
NAME_PARTICLES = _words("de del dela delos de los la y van von da di")

PLACE_PREFIX_CUES = _words(
    "barangay brgy bgy brg purok sitio sityo zone zona kalye calle baryo barrio"
)
BARANGAY_CUES = _words("barangay brgy bgy brg")
# Saints open many barangays' names ("barangay san roque") though "san" is an everyday word too (saan, where).
SAINT_WORDS = _words("san santa santo sta sto")
# Little words that end a barangay's name typed in lower case ("taga brgy. maligaya kami"), and words that follow
# "barangay" as a thing, not a name ("brgy tanod", "barangay clearance", "barangay namin").
FUNCTION_WORDS = _words(
    "ang ng sa na at ay ako ko mo siya kayo sila kami tayo namin natin nila ninyo niya akin amin atin kanila"
    " kasi pero para dahil kung kapag nang noon nun nung noong ngayon dito doon diyan ito iyon iyan mga ni"
    " naman pala kaya ba kasama tapos habang hanggang bago"
    " and or of the a an is was were who which that where when we i our my their his her your its"
)
BARANGAY_NOUNS = _words(
    "tanod tanods official officials clearance certificate certification council councilor election elections"
    " health worker workers ordinance assembly blotter outpost level chair chairperson protection id"
)
# A road is a place whatever its first word: "the National Road", "Provincial Highway", "Main Street".
ROAD_WORDS = _words("st street ave avenue road rd blvd boulevard highway hwy drive lane extension ext")
PLACE_SUFFIX_CUES = ROAD_WORDS | _words(
    "subdivision subd village homes heights hills compound estate estates townhomes residences"
    " mall plaza park terminal market pier port wharf airport bridge tower towers condominium"
    " island islands isle beach bay lake river"  # an archipelago's places: "Bantayan Island"
)
MALL_BRANDS = _words("sm robinsons ayala gaisano puregold savemore")
MAJOR_PLACE_LEVELS = frozenset({"region", "province", "city", "submunicipality", "alias"})
TOWN_LEVELS = frozenset({"city", "municipality"})
# Provinces, cities and regions whose names are also everyday words ("sa bago" is "in the new one").
EVERYDAY_PLACE_NAMES = _words("antique bago baybay car kalinga palayan talisay")
# Listed among countries and territories, but cities where many Filipinos work: "sa Hong Kong ang nanay ko".
CITY_TERRITORIES = ("Hong Kong", "Macao", "Macau")
# Parts of a subdivision or a city known by number: "Phase 2", "Block 5 Lot 3", "Project 4" (Quezon City).
NUMBERED_PLACE_CUES = _words("phase block blk lot project pier")

INSTITUTION_SUFFIXES = _words(
    "school elementary academy college university institute seminary montessori center centre church parish"
    " chapel cathedral shrine mosque temple ministries ministry fellowship shelter home haven"
    " foundation hospital clinic office station desk unit bpo corporation corp inc company"
    " enterprises restaurant hotel resort factory bakery store agency cooperative orphanage"
    " library salon pharmacy canteen cafe hall solutions services trading holdings industries"
    " manpower logistics"
)
PLACES_OF_WORSHIP = _words("church parish chapel cathedral shrine mosque temple ministries ministry fellowship")
INSTITUTION_PREFIXES = _words(
    "paaralang paaralan pamantasan unibersidad kolehiyo simbahan parokya kapilya iglesia ospital"
    " bahay tahanan kanlungan sentro university college church"
)
# Words that can make up an institution's name but do not make it specific on their own.
GENERIC_INSTITUTION_WORDS = _words(
    "the of and for ng city provincial municipal regional national public attorney prosecutor"
    " office court family trial police station social welfare development barangay hall"
    " justice women children home shelter school elementary high senior junior"
    " center centre church parish chapel hospital clinic unit desk protection field main child"
    " dswd pao nbi pnp doj ijm wcpd chr dilg deped doh dole owwa dfa lgu ngo"
    " elementarya mataas mababang paaralan paaralang simbahan bahay ospital"
)
INSTITUTION_CONNECTORS = _words("of the and & de del for")
# What kind of school a Filipino school's name says, between its head word and "ng": "Paaralang Elementarya ng Pook",
# "Paaralang Sentral ng …", "Mataas na Paaralang Pambansa ng Lucena".
SCHOOL_KIND_WORDS = _words("elementarya sentral pambansa pansekondarya sekondarya integrado")
# Words that say what kind of institution, never whose: alone they name none ("Nag-aral ako sa Paaralang Elementarya").
INSTITUTION_KIND_WORDS = GENERIC_INSTITUTION_WORDS | SCHOOL_KIND_WORDS
COURT_WORDS = _words("court rtc mtc mtcc metc mctc korte")
# Words of a court's own name, before "Branch": "Municipal Trial Court in Cities Branch 3".
COURT_NAME_WORDS = COURT_WORDS | _words(
    "regional trial family municipal metropolitan circuit city cities in juvenile special"
)
BRANCH_WORDS = _words("branch br sangay sala")
WORK_CUES = _words(
    "work works worked working job trabaho nagtatrabaho nagta-trabaho nagwo-work nagwork nag-work"
    " employed employer hired crew cashier staff intern ojt"
)
ARTICLES = _words("a an the isang")

ABBREVIATIONS = _words(
    "st sta sto atty mr mrs ms dr jr sr ma brgy bgy engr hon fr sgt gen pres sen gov rep capt lt"
    " col maj prof ave blvd rd hwy no blg blk subd ext kap gng bb corp inc co vs"
) | POLICE_RANKS
GAZETTEER_CONNECTORS = _words("de del of sa ng y la")


# --------------------------------------------------------------------------------------------
# Regular expressions (compiled once)
# --------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:-[^\W_]+)*")

_EMAIL_RE = re.compile(  # also as written to dodge scrapers: "name [at] example [dot] com"
    r"[\w.+-]+(?:@|\s?[\[(]\s?at\s?[\])]\s?)[A-Za-z0-9-]+(?:(?:\.|\s?[\[(]\s?dot\s?[\])]\s?)[A-Za-z0-9-]+)+"
)
# "name at gmail dot com": spelled out in words, it ends in " dot " and a real top-level domain.
_SPELLED_EMAIL_RE = re.compile(
    r"[\w.+-]+\s+at\s+[A-Za-z0-9-]+(?:\s+dot\s+[A-Za-z0-9-]+)*\s+dot\s+(?:com|net|org|ph|edu|gov|info|io|co)\b",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(
    r"""(?<![\w+])(?:
        (?:\+\s?63|63|0)[\s.-]*\(?9\d{2}\)?(?:[\s.-]*\d){7}                   # mobile
      | \(\s?0?9\d{2}\s?\)(?:[\s.-]*\d){7}                                   # (0917) 123 4567
      | \(\s?0?\d{1,3}\s?\)(?:[\s.-]*\d){7,8}                                # (02) 8714-2206
      | \+\s?63[\s.-]*\(?\d{1,3}\)?[\s.-]*\d{3,4}[\s.-]*\d{4}                # +63 2 8714 2206
      | 0\d{1,3}[\s-]\d{3,4}[\s-]\d{4}                                      # 032 412 8890
      | 8\d{3}-\d{4} | \d{3}-\d{4}                                          # 8714-2206, 412-8890
      | \+(?!\s?63)[1-9]\d{0,2}(?:[\s.-]?\d){7,12}                          # +966 55 318 2047, abroad
    )(?![\w-])""",
    re.VERBOSE,
)
# Initials ("M.J.", "J.R."): a name where a person's verb follows or a name's cue comes before.
_INITIALS_RE = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,3}(?=\s)")
# A numbered police station names one place, as a court branch does: "Police Station 6".
_POLICE_STATION_RE = re.compile(r"\bpolice\s+station\s+(?:no\.?\s*)?\d{1,3}\b", re.IGNORECASE)
# A court's or prosecutor's case number names one case, and so the child in it: "Crim. Case No. 18-1234", "CC No.
# 2019-4412" (a criminal case), "NPS Docket No. XV-12-INQ-19L-0345", "Kaso Blg. 1234", "kaso bilang 2019-0456". The
# numbers alone are reported, as an age is: the words that make them case numbers stay when a label replaces them. A
# number has three digits or more ("Case No. 5" of a workbook is none).
_CASE_NUMBER = r"(?=(?:[a-z/-]*\d){3})[a-z0-9]+(?:[-/][a-z0-9]+)*\b"
# The label an editor's redaction leaves ("[institution]", "[institusyon]"): it stands where a detail was, so a list
# goes on after it ("Criminal Case Nos. [institution] and 12346-67" still holds a case number).
_REDACTION_LABEL = r"\[[^\[\]\n]{1,40}\]"
_CASE_NUMBER_ITEM = rf"(?:{_REDACTION_LABEL}|{_CASE_NUMBER})"
# The end of a range may be written short: "Nos. 12345-67 to 69", "Blg. 1234 hanggang 36" (not a time, "to 5 pm",
# nor a count after a dash that goes on the sentence, "Case No. 1234 — 50 people came", "— 50 na tao", "— 50 sa amin",
# "— 50 kami", "— 50 students").
_CASE_RANGE_END = (
    r"\d{1,3}\b(?![:./-]\d|\s*(?:%|[ap]\.?m\b|n\.?[uhg]\.|o'?clock|ng\s+(?:umaga|hapon|gabi|tanghali)"
    r"|(?:na\s+)?(?:taong?|years?|anyos|days?|araw|months?|buwan|weeks?|linggo|hours?|oras|minutes?|minuto)\b"
    r"|(?:people|persons?|katao|others?|of\s+(?:us|them|you)|times|beses|pesos?|piso|witnesses"
    r"|sa\s+(?:amin|atin|inyo|kanila)|(?:kami|kayo|sila|tayo)(?:ng)?"
    r"|(?:(?:na|more|other|young|fellow)\s+)?(?:tao|bata|pamilya|biktima|saksi|estudyante|kabataan|kababaihan"
    r"|students|victims|survivors|children|kids|families|parents|women|men|girls|boys|youths?|minors|adults"
    r"|members|participants|attendees|volunteers|workers|classmates|friends|relatives|siblings|individuals"
    r"|mothers|fathers))\b))"
)
_CASE_RANGE_WORD = r"(?:\s+(?:(?:up\s+)?to|through|thru|hanggang(?:\s+sa)?)\s+|\s*[–—]\s*|\s+-\s+)"
_CASE_LIST_WORD = r"(?:\s*,\s*(?:(?:and|at)\s+)?|\s+(?:and|at|&)\s+)"
_CASE_NUMBER_RE = re.compile(
    r"\b(?:(?:(?:crim(?:inal)?\.?|civ(?:il)?\.?|(?-i:[A-Z]{2,4}))\s+)?(?:case|docket)|kasong\s+(?:kriminal|sibil)|kaso"
    r"|(?-i:I\.?S\.?)|c\.?c\.?)(?:\s+|\s*(?=\#))(?P<label>nos?\.?|numbers?|num\.?|blg\.?|bilang|\#)"
    r"(?:\s+(?:ko|namin|niya|nila))?(?:\s+(?:ay|is|was|are|were))?\s*:?\s*"
    # several after "Nos." or in a list ("Criminal Case Nos. 12345-67 and 12346-67", "Kaso Blg. 1234 at 1235", "Nos.
    # 12345-67, 68 and 69"), and ranges ("Nos. 12345-67 to 69", "12345-67 – 69", "12345-67 up to 69")
    rf"(?P<numbers>{_CASE_NUMBER_ITEM}(?:(?:{_CASE_LIST_WORD}|{_CASE_RANGE_WORD})"
    rf"(?:{_CASE_NUMBER_ITEM}|{_CASE_RANGE_END}))*)",
    re.IGNORECASE,
)
_CASE_NUMBER_ITEM_RE = re.compile(
    rf"(?:(?P<range>{_CASE_RANGE_WORD})|(?P<list>{_CASE_LIST_WORD}))?"
    rf"(?P<number>{_CASE_NUMBER_ITEM}|(?<=[\s,–—]){_CASE_RANGE_END})",
    re.IGNORECASE,
)
_REDACTION_LABEL_RE = re.compile(_REDACTION_LABEL)
# Between the names of a list after "sina", "nina", "kina": "sina Boyet, Ana at tasyo".
_NAME_LIST_SEPARATOR_RE = re.compile(r"(?:, (?:(?:at|and) )?| (?:at|and) )", re.IGNORECASE)
# Numbers that follow a case number without being one: a year, a range of years, "24/7", "50/50".
_YEAR_OR_FRACTION_RE = re.compile(r"(?:19|20)\d{2}(?:-(?:19|20)?\d{2})?|\d{1,2}/\d{1,2}")


def _case_numbers(match: re.Match) -> Iterator[tuple[int, int]]:
    """Each number of a case-number match, and the end of a range however short ("Nos. 12345-67 to 69", "12345-67 –
    69"), as a list's numbers that count on after "Nos." or "Blg." ("Nos. 12345-67, 68 and 69"); a redaction's
    label in the list is passed over, not the numbers after it. After "Nos." every item is a number. After a singular
    "No." or "Blg." (Filipino has no plural: "Kaso Blg. 1234 at 1235"), a later item is one in a case number's shape,
    with a dash or a slash or as the first number is written, and never a year, a range of years or a fraction ("Case
    No. 1234 at 2019 pa", "Case No. 4412 and 24/7 support"); after "Nos." such a number is one only as the first is
    written, and not after a label ("Criminal Case Nos. [institution] and 2019")."""
    label = match.group("label").lower().rstrip(".")
    plural = label in {"nos", "numbers"}
    listed = plural or label in {"blg", "bilang"}  # "Nos. 12345-67, 68 and 69", "Blg. 12345-67, 68 at 69"
    offset = match.start("numbers")
    first = previous = None
    for index, item in enumerate(_CASE_NUMBER_ITEM_RE.finditer(match.group("numbers"))):
        number = item.group("number")
        if number.startswith("["):
            previous = None
            continue
        if not (item.group("range") and _ends_range(number, previous)) and not (
            item.group("list") and listed and (plural or previous is not None) and _ends_range(number, previous)
        ):
            if index and not _another_case_number(number, first, plural=plural):
                return
        first = first or number
        previous = number
        yield offset + item.start("number"), offset + item.end("number")


def _another_case_number(number: str, first: str | None, *, plural: bool) -> bool:
    """A later number of a list; ``first`` is the list's first number (None: a label)."""
    if sum(character.isdigit() for character in number) < 3:  # "to 12": no range's end
        return False
    if _YEAR_OR_FRACTION_RE.fullmatch(number):  # after "Nos." as the first is written: "Nos. 2018 and 2019"
        return plural and first is not None and _shape(number) == _shape(first)
    return plural or "-" in number or "/" in number or first is None or _shape(number) == _shape(first)


def _ends_range(end: str, start: str | None) -> bool:
    """``end`` closes a range from ``start`` (None: a label), written whole or as its last digits ("12345-67 to 69",
    "1234 hanggang 36"): they count up. A year is no range's end ("Kaso Blg. 1234 hanggang 2019 pa")."""
    if not end.isdigit() or _YEAR_OR_FRACTION_RE.fullmatch(end):
        return False
    if start is None:
        return True
    digits = re.search(r"\d+$", start)
    return digits is not None and len(end) <= len(digits.group()) and int(end) > int(digits.group()[-len(end):])


def _shape(number: str) -> str:
    return re.sub(r"[a-z]", "a", re.sub(r"\d", "9", number.lower()))


_ACCOUNT_NUMBER_RE = re.compile(r"(?<![\w+])\+?\d[\d\s-]{8,20}\d(?!\w)")
_WALLET_CUE_RE = re.compile(
    r"\b(?:g-?cash|pay\s?maya|maya|grab\s?pay|shopee\s?pay|coins\.ph|e-?wallet|palawan\s+express"
    r"|cebuana|bdo|bpi|landbank|metrobank|bank\s+account|account\s+(?:number|no\.?))\b",
    re.IGNORECASE,
)
_SENTENCE_BREAK_RE = re.compile(r"[.!?]\s+(?=[A-Z])|\n")
_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_SOCIAL_URL_RE = re.compile(
    r"(?<![\w.])(?:https?://)?(?:www\.|m\.|web\.|mobile\.|vt\.)?"
    r"(?:facebook\.com|fb\.com|fb\.me|m\.me|messenger\.com|instagram\.com|tiktok\.com|twitter\.com"
    r"|x\.com|youtube\.com|youtu\.be|t\.me|telegram\.me|linkedin\.com|threads\.net|wa\.me)"
    r"/[^\s,;!?()\[\]\"']*[^\s,;!?()\[\]\"'.]",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s,;!?()\[\]\"']*[^\s,;!?()\[\]\"'.]", re.IGNORECASE)
# Platforms whose names are no everyday word match in any case, as they are typed ("ig ko:", "my fb is", "sa insta");
# a regex using this puts it between word boundaries, so "ig" in "big" or "fb" in "fbi" is none. Those that are
# everyday words too do in lower case where an account follows ("sa messenger ko: …"), not "a messenger is …".
# "X" (Twitter) is a letter too, and "Signal" and "Discord" are words: they are a platform only as a label is written
# ("X: …", "my X is …", "signal ko: …").
_PLATFORM = (
    r"(?:(?i:IG|Insta|Instagram|FB|Facebook|TikTok|Twitter|Viber|YouTube|YT|Snapchat|WhatsApp|Kumu)|Telegram|Messenger"
    r"|Threads|X(?=\s*:|\s+(?:ko|account|is)\b)"
    r"|(?i:telegram|messenger|signal|discord)(?=\s*:|\s+(?:ko|namin|niya|account)\b)"
    r"|username|user\s+name|handle)"
)
# A dotted or underscored name near a platform word ("sa IG, ging.nagsasalita", "sa IG ko na Kindness_22"), not letters
# with dots ("e.g."); or a word of three letters or more with a digit ("sa IG ko na kindness22").
_USERNAME_RE = re.compile(
    rf"\b{_PLATFORM}\b[^.!?\n@]{{0,25}}?\b(?=[A-Za-z0-9._]*[A-Za-z])(?!(?:[A-Za-z]\.)+[A-Za-z](?!\w|[._][A-Za-z0-9]))"
    r"([A-Za-z0-9]+(?:[._][A-Za-z0-9]+)+|(?=[A-Za-z0-9]*[A-Za-z]{3})[A-Za-z][A-Za-z0-9]*\d[A-Za-z0-9]*)\b(?![@.]\w)"
)
# A name with a digit, a dot or an underscore given "at" or "as" a platform's: "on Facebook at bituinlakas22".
_AT_PLATFORM_RE = re.compile(
    rf"\b{_PLATFORM}\s+(?:at|as)\s+(?=[A-Za-z0-9_.]*[A-Za-z]{{3}})"
    r"([A-Za-z0-9_.]*(?:\d|[A-Za-z0-9][._][A-Za-z0-9])[A-Za-z0-9_.]*[A-Za-z0-9_])"
)
# The name shown on a platform: "find me on Facebook as Bituin Lakas".
_AS_ON_PLATFORM_RE = re.compile(rf"\b{_PLATFORM}\s+as\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){{0,2}})")
# A name said before "ang pangalan ko" ("Bituin Lakas ang pangalan ko doon"), everyday words or not.
_NAME_IS_MINE_RE = re.compile(
    r"\b((?:[A-Z][\w'-]+\s+){0,2}[A-Z][\w'-]+)\s+ang\s+pangalan\s+(?:ko|niya|nila|namin|mo)\b"
)
# A name said after "ang pangalan ko ay" or "my name is" ("ang pangalan ko ay Divine", "her name is Lucky Reyes"),
# everyday words or not.
_MY_NAME_IS_RE = re.compile(
    r"\b(?i:pangalan\s+(?:ko|niya|nya|nila|namin|mo)\s+(?:ay|is)|(?:my|her|his|their|your)\s+(?:nick)?name\s+(?:is|was))"
    r"\s+((?:[A-Z][\w'-]+\s+){0,2}[A-Z][\w'-]+)"
)
# Any name given as a platform's account: "IG: marites24", "my TikTok is lakasngloob", or the name shown there, all
# of it: "fb: Rhea Dalupan".
_DECLARED_USERNAME_RE = re.compile(
    rf"\b(?P<platform>{_PLATFORM})(?:\s+(?:ko|namin|niya|nila|mo|account|name|handle|username)){{0,2}}"
    r"\s*(?:(?P<colon>:)|\bis\b|\bay\b)\s*"
    r"(?:(?P<shown>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2})|(?P<account>[A-Za-z0-9_.]*[A-Za-z0-9_]))"
)
# After a platform's label and its colon, an everyday word is the account when it ends its clause ("IG: kindness",
# "ig ko: kindness, follow nyo ako", "IG: kindness lang po.", "IG: kindness FB: Ana Cruz") or the words after it say
# it is the account ("IG: kindness lang ang handle ko", "IG: kindness is my username"); one that opens a sentence
# there is a word ("IG: wala akong account", "ig ko: deleted na"), and so is one that says there is no account ("IG:
# wala").
_ENDS_CLAUSE_RE = re.compile(
    rf"(?:\s+(?:lang|lng|po|ha)){{0,2}}(?:[ \t]*(?:$|[\n,;!?)|/]|\.(?!\w))|\s+{_PLATFORM}\b"
    r"|\s+(?:ang|yung|'yung|ung|is)\s+(?:my\s+|aking\s+)?(?:handle|username|user\s+name|account|pangalan|name)\b)"
)
# After "is" or "ay" a clause also ends where another begins: "my IG is kindness and I post about healing", "... so
# follow me", "ang IG ko ay kindness at doon ako nagpo-post".
_NEXT_CLAUSE_RE = re.compile(r"\s+(?:and|so|but|at|pero|kaya|tapos)\s+\w", re.IGNORECASE)
# After a label's colon the words after "and" must open a clause of their own, with its subject or a request ("IG:
# kindness and I post about healing", "IG: kindness so follow me", "IG: kindness at doon ako nagpo-post"): in "IG:
# kindness and hope ang laman ng posts ko" the words are what is posted.
_LABEL_THEN_CLAUSE_RE = re.compile(
    r"\s+(?:and|so|but|at|pero|kaya|tapos)\s+(?:i|i'm|we|you|u|he|she|they|it|it's|ako|aq|kami|tayo|kayo|ikaw|siya"
    r"|sila|doon|dun|dito|diyan|follow|add|message|dm|pm|chat|please|pls|paki-?\w+|i-\w+)\b",
    re.IGNORECASE,
)
NO_ACCOUNT_WORDS = _words(
    "wala none nothing private public deleted deactivated hacked closed locked banned suspended blocked gone inactive"
    " same soon later secret sikreto meron mayroon yes oo hindi"
    # what an account is like: "my IG is down", "ang FB ko ay sarado", "IG: iba ang account ko"
    " down up new old open active dead empty safe mine fine okay ok back off offline online secure restricted fake"
    " real different iba luma sira patay bukas sarado tago pribado pareho"
)
# After "is" or "ay" a word that describes the account ("my IG is boring", "my FB is reported") is none: English
# adjectives and participles by their endings.
_DESCRIBING_ENDINGS = ("ed", "ing", "ful", "less", "ous", "ive", "able", "ible", "ish")
# Whose account it is, before the platform ("my IG is kindness") or after it ("ang IG ko ay kindness").
OWNER_WORDS = _words("my our his her their your aking akong kanyang kaniyang iyong ko namin niya nila mo natin ninyo")
# A message written on a platform, quoted after its colon, is no account: "sabi ni Nanay sa FB ko: ingat.", "she
# wrote on my IG: stay strong".
_QUOTED_ON_PLATFORM_RE = re.compile(
    r"\b(?:sabi|sinabi|nagsabi|said|says|wrote|writes|sinulat|isinulat|posted|nag-?post|pinost|nag-?comment|commented"
    r"|nag-?message|messaged|minessage|nag-?chat|chinat|replied|nag-?reply|sumagot|sinagot|greeted|binati|bumati)\b"
    r"[^.!?\n]*\b(?:sa|on|in)\s+(?:(?:my|her|his|our|their|your|aking|kanyang|kaniyang)\s+)?$",
    re.IGNORECASE,
)
# What follows "sa FB ko:", "on my IG:" is what was written there ("sa FB ko: ingat."), unless the sentence asks the
# reader to find the writer there ("i-add nyo ako sa FB ko: Rhealyn", "follow me on IG: kindness").
_ON_PLATFORM_RE = re.compile(
    r"\b(?:sa|on|in)\s+(?:(?:my|her|his|our|their|your|aking|kanyang|kaniyang|ang)\s+)?$", re.IGNORECASE
)
_FIND_ME_RE = re.compile(
    r"\b(?:(?:i-|mag-?|pa-?)?(?:follow|add|message|dm|pm|chat|search)|hanap\w*|hanapin|find|look\s+for|sundan"
    r"|makikita|makita|contact|kontakin|reach)\b",
    re.IGNORECASE,
)

_EN_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_FIL_DIGIT = r"(?:isa|dalawa|tatlo|apat|lima|anim|pito|walo|siyam)"
# From ten up: "isa" alone is also "one of" ("isa ako noon sa mga tumestigo"). "labing tatlo" as texted, with a space.
_FIL_TEN_AND_UP = (
    rf"(?:(?:labing[\s-]?|labin-?|labim-?){_FIL_DIGIT}|sampu"
    rf"|(?:dalawampu|tatlumpu|apatnapu|limampu|animnapu)(?:'t\s+{_FIL_DIGIT})?)"
)
_FIL_NUMBER = rf"(?:{_FIL_TEN_AND_UP}|{_FIL_DIGIT})"
_FIL_LINKED = rf"(?:{_FIL_NUMBER}(?:ng|\s+na)?)"
# Spanish-derived numbers, the usual way to say an age with "anyos" ("disisais anyos", "edad
# dose", "nung bente'y uno ako"); spellings vary, so the common ones are all listed.
_ES_DIGIT = (
    r"(?:uno|dos|tres|kuwatro|kwatro|kuatro|singko|sinko|cinco|seis|sais|siyete|syete|siete"
    r"|otso|ocho|nuwebe|nuebe|nwebe|nueve)"
)
_ES_NUMBER = (
    rf"(?:diyes|dyes|dies|diez|onse|once|dose|doce|trese|trece|katorse|catorce|kinse|quince"
    rf"|disi-?(?:sais|seis|siyete|syete|siete|otso|ocho|nuwebe|nuebe|nwebe|nueve)"
    rf"|dieci(?:seis|siete|ocho|nueve)"
    rf"|(?:bente|beinte|beynte|veinte|trenta|treinta|kuwarenta|kwarenta|singkuwenta|singkwenta)"
    rf"(?:(?:'y|\s+y)?\s+{_ES_DIGIT})?"
    rf"|{_ES_DIGIT})"
)
_AGE_NUMBER = rf"(?:\d{{1,2}}|{_EN_NUMBER}|{_FIL_NUMBER}|{_ES_NUMBER})"
# "ako" (I) as texted: "aq", and after "nung N" also "q" where nothing follows in the clause ("nung 12 q, …"; in
# "nung 12 q nakita" it may be "ko"); "lang" (only) as "lng".
_AKO = r"(?:ako|aq)"
# After "ako ay" a number in any language, but not "isa" or "one": "ako ay isa sa kanila" is "one of them".
_AGE_WORD_OR_DIGITS = rf"(?:\d{{1,2}}|{_ES_NUMBER}|(?!isa\b){_FIL_NUMBER}|(?!one\b){_EN_NUMBER})"
_LANG = r"(?:lang|lng)"
# A finding is the age itself ("twelve years old", "14 na taong gulang", the "9" of "Nung ako'y 9"): the words around
# it ("When I was", "edad", "ako noon") only make the number an age, and must stay when the age is replaced by a label.
# A pattern with a group named "age" reports that group; one without it is the age as a whole.
_AGE_RES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_AGE_NUMBER}(?:\s*|-)(?:years?|yrs?|yr)(?:\s+|-)old\b",  # "13yrs old", "dose years old" too
        rf"\b(?:at|by)\s+(?:the\s+)?age\s+(?:of\s+)?(?P<age>\d{{1,2}}|{_EN_NUMBER})\b",
        rf"\baged?\s+(?P<age>\d{{1,2}}|{_EN_NUMBER})\b",
        rf"\bturn(?:ed|s|ing)\s+(?P<age>\d{{1,2}}|{_EN_NUMBER})\b(?!\s*(?:%|percent|degrees|minutes|hours|pesos|times"
        rf"|pages|a\.?m\b|p\.?m\b|o'?clock|[:.]\d))",
        # "mag-18 ako", "mag-disiotso na ako" ("mag-isa ako" is "alone")
        rf"\bmag-?(?P<age>\d{{1,2}})\s+(?:na\s+)?(?:ako|siya)\b",
        rf"\bmag-(?P<age>{_ES_NUMBER}|{_FIL_TEN_AND_UP})\s+(?:na\s+)?(?:ako|siya)\b",
        r"\b\d{1,2}\s*(?:y/o|yo|y\.o\.)(?!\w)",
        rf"\b(?:{_EN_NUMBER}|{_FIL_NUMBER}|{_ES_NUMBER})\s*(?:y/o|y\.o\.)(?!\w)",
        rf"\b(?:I|he|she|we|they|who)\s+(?:was|were)\s+(?:only\s+|just\s+|barely\s+)?"
        rf"(?P<age>\d{{1,2}}|{_EN_NUMBER})(?=\s*(?:[,.;!?]|when\b|and\b|then\b|at\s+the\s+(?:time|hearing|trial)\b|$))",
        # after "when", whatever follows ("When I was 14 the police came"), unless a unit or a count does
        rf"\bwhen\s+(?:(?:I|he|she)\s+was|they\s+were)\s+(?:only\s+|just\s+|barely\s+)?"
        rf"(?P<age>\d{{1,2}}|{_EN_NUMBER})\b(?!\s*(?:%|percent|minutes?|hours?|days?|weeks?|months?|pesos|times"
        rf"|people|of\b|in\s+(?:line|a\s+row)|[:.]\d))",
        # whoever the subject ("my brother was only 7 then"): "only" and a child's age make it one
        rf"\bwas\s+(?:only|just|barely)\s+(?P<age>1[0-7]|[1-9]|{_EN_NUMBER})"
        rf"(?=\s*(?:[,.;!?]|when\b|and\b|then\b|at\s+the\s+(?:time|hearing|trial)\b|$))",
        # "14 na taong gulang", "trese taong gulang" too
        rf"\b(?:(?:\d{{1,2}}|{_EN_NUMBER}|{_ES_NUMBER})(?:\s+na)?|{_FIL_LINKED})\s*-?\s*taong?\s+gulang\b",
        rf"\b{_AGE_NUMBER}\s*-?\s*(?:anyos|años)\b",
        rf"\bedad\s+(?:na\s+|ko\s+(?:noon\s+)?(?:ay\s+)?)?(?P<age>{_AGE_NUMBER})\b",
        rf"\b(?:noong|nung|nuong|no'ng|noon)\s+(?P<age>{_AGE_NUMBER})\s+(?:(?:pa\s+)?{_LANG}\s+)?"
        rf"(?:(?:{_AKO}|siya|ka)\b|q(?=\s*(?:[,.;!?]|$)|\s+(?:noon|nun|nung|noong)\b))",
        # "Grade 3 pa lang ako" is a school year, not an age; "twelve lang ako" in English numbers too ("one lang
        # ako" is one person)
        rf"(?<!grade )(?<!baitang )\b(?P<age>\d{{1,2}}|{_ES_NUMBER}|{_FIL_TEN_AND_UP}|(?!one\b){_EN_NUMBER})\s+"
        rf"(?:na|(?:pa\s+)?{_LANG})\s+(?:{_AKO}|siya)\b",
        # "lima pa lang ako noon": a digit's word only with "pa lang" ("isa" is "one of", "isa pa lang ako sa kanila")
        rf"\b(?P<age>(?!isa\b){_FIL_DIGIT})\s+pa\s+{_LANG}\s+(?:{_AKO}|siya)\b",
        # "15 ako nung …"
        rf"(?<!grade )(?<!baitang )\b(?P<age>\d{{1,2}}|{_ES_NUMBER}|{_FIL_TEN_AND_UP}|(?!one\b){_EN_NUMBER})"
        rf"\s+(?:{_AKO}|siya)\s+(?:noon|nun|nung|noong)\b",
        # "Ako ay 14 noon", "ako ay labindalawa nang mangyari": a number in any language ("isa" after "ako" is "one
        # of them"); not "2 taon nang naghihintay" (a wait)
        rf"\b(?:ako|siya)(?:'y|\s+ay)\s+(?P<age>{_AGE_WORD_OR_DIGITS})\b"
        rf"(?=\s+nang\b|(?:\s+na)?\s+(?:taon\b(?!\s+nang)|noon\b|nun\b|nung\b|noong\b))",
        # "Nung ako'y 9, …", whatever follows, as "when I was 9"
        rf"\b(?:noong|nung|nuong|no'ng)\s+(?:ako|siya)(?:'y|\s+ay)\s+(?P<age>{_AGE_WORD_OR_DIGITS})\b"
        rf"(?!\s*(?:%|[:.]\d|minuto|oras|araw|linggo|buwan|piso|beses|katao|sa\b|taon\s+nang\b))",
        # "Walong taon ako noon": the number and "taon" (years), as "twelve years old"
        rf"\b(?P<age>(?:(?:\d{{1,2}}|{_EN_NUMBER}|{_ES_NUMBER})(?:\s+na)?|{_FIL_LINKED})\s+taon)\s+"
        rf"(?:(?:pa\s+)?{_LANG}\s+(?:{_AKO}|siya|kami|sila)\b"
        rf"|(?:{_AKO}|siya|kami|sila)\s+(?:noon|nun|nung|noong)\b)",
    )
]

# "I testified at eleven and again at fifteen": an age, unless the clock is meant. From thirteen up it is never an
# hour; from six to twelve it is one only without a time word after it or an event's time before it.
_AT_AGE_RE = re.compile(
    r"\bat\s+(?P<age>1[0-9]|[6-9]|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen)\b(?!\s*(?:[:.]\d|%|-?ish\b|o'?clock|a\.?m\b|p\.?m\b|hundred|percent|sharp"
    r"|minutes?|hours?|degrees|in\s+the\s+(?:morning|afternoon|evening)|at\s+night|tonight|that\s+night"
    r"|(?:\s+|-)(?:thirty|fifteen|forty|forty-five|fifty)\b))",
    re.IGNORECASE,
)
_HOURS = {"6", "7", "8", "9", "10", "11", "12", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
_TIME_OF_EVENT_RE = re.compile(
    r"\b(?:hearings?|sessions?|meetings?|mass|misa|class(?:es)?|trial|interview|appointment|schedule[ds]?|start(?:s|ed)?"
    r"|began|begins?|ends?|ended|opens?|opened|closes?|closed|until|till|arrived?|call(?:ed)?|wake|woke"
    r"|sleep|slept|morning|night|evening|tomorrow|today|tonight|daily|every)\b",
    re.IGNORECASE,
)


def _at_an_age(text: str, match: re.Match) -> bool:
    if match.group("age").lower() not in _HOURS:
        return True
    clause = re.split(r"[,.;!?]", text[max(0, match.start() - 60) : match.start()])[-1]
    return not _TIME_OF_EVENT_RE.search(clause)


_FIL_MONTH_ABBREVIATION = r"(?:Ene|Peb|Abr|Hun|Hul|Ago|Set|Okt|Nob|Dis)"
_MONTH = (  # any case ("noong disyembre 2018"), except "May", below
    r"(?:(?i:January|February|March|April|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
    r"|Enero|Pebrero|Febrero|Marso|Abril|Mayo|Hunyo|Junio|Hulyo|Julio|Agosto|Setyembre"
    r"|Septiyembre|Setiembre|Septiembre|Oktubre|Octubre|Nobyembre|Noviembre|Disyembre|Diciembre)"
    # Filipino abbreviations, capitalised and with their dot ("Dis. 2020"): "ago." is not August
    rf"|{_FIL_MONTH_ABBREVIATION}\.)"
)
# "May" is also Filipino "there is", and a Filipino abbreviation without its dot a word ("Set the date", "Dis-oras
# na"): they are months only with a year or a day number next to them ("May 5, 2019", "Dis 2020", "3 Dis"), not
# before a day alone ("Set 9" may be a set of questions).
_MONTH_OR_MAY = rf"(?:{_MONTH}|May|{_FIL_MONTH_ABBREVIATION}(?![\w-]))"
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"(?:a-)?(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"  # "Hulyo a-15, 2018"
# Before a day alone, as "Oct 3" is: a Filipino abbreviation without its dot that is no word ("Okt 3", "Peb 14"), and
# one that is a word too ("Set", "Ago", "Dis", "Hun") after a word for "on" ("noong Set 14", not "Set 9 of the
# questions").
_FIL_MONTH_ABBREVIATION_NOT_A_WORD = r"(?:Ene|Peb|Abr|Hul|Okt|Nob)"
_ON_A_DAY = r"(?i:noong|nung|nuong|no'ng|on|mula|hanggang|until|since)"
# The year of the writer's own rescue or testimony ("rescued in 2014", "Noong 2017 ako nailigtas"): the year alone
# is reported. A year next to a law or an event of the country is not a person's.
_LIFE_EVENT = (
    r"(?:rescued|na-?rescue|ni-?rescue|nailigtas|iniligtas|niligtas|naligtas|testified|nag-?testify|tumestigo"
    r"|nagtestigo)"
)
_LIFE_EVENT_YEAR_RES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_LIFE_EVENT}\b[^.;!?]{{0,25}}?\b(?:in|noong|nung|sa|taong)\s+(?P<year>{_YEAR})\b",
        rf"\b(?:in|noong|nung|nuong)\s+(?P<year>{_YEAR})\b[^.;!?,]{{0,20}}?\b{_LIFE_EVENT}\b",
    )
]
_DATE_RES = [
    re.compile(p)
    for p in (
        rf"\b[Ii]ka-?\s?\d{{1,2}}\s+ng\s+{_MONTH_OR_MAY}(?:,?\s+{_YEAR})?\b",
        rf"\b{_MONTH_OR_MAY}\s+{_DAY},?\s+{_YEAR}\b",
        rf"\b{_MONTH}\s+{_DAY}\b(?![,.]?\d)",
        rf"\b{_FIL_MONTH_ABBREVIATION_NOT_A_WORD}\s+{_DAY}\b(?![,.]?\d)",
        rf"\b{_ON_A_DAY}\s+(?P<date>(?:Set|Ago|Dis|Hun)\s+{_DAY})\b(?![,.]?\d)",
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH_OR_MAY}(?:,?\s+{_YEAR})?\b",
        rf"\b{_MONTH_OR_MAY},?\s+{_YEAR}\b",
        rf"\b(?:{_MONTH}|May)\s+(?:of\s+)?{_YEAR}\b",
        r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b",
        r"\b\d{4}-\d{2}-\d{2}\b",
    )
]


# A Bible verse ("Juan 3:16", "Jeremiah 29:11", "Filipos 4:13") names a book, not a person or a place. Books in English
# and Filipino, and their usual short forms; the chapter and verse make it one, so "Juan" alone is still a name.
_BIBLE_BOOKS = (
    "Genesis Exodus Exodo Leviticus Levitico Numbers Bilang Deuteronomy Deuteronomio Joshua Josue Judges Hukom Ruth"
    " Samuel Kings Hari Chronicles Cronica Ezra Nehemiah Nehemias Esther Ester Job Psalms? Awit Proverbs Kawikaan"
    " Ecclesiastes Eclesiastes Mangangaral Isaiah Isaias Jeremiah Jeremias Lamentations Panaghoy Ezekiel Daniel Hosea"
    " Oseas Joel Amos Obadiah Obadias Jonah Jonas Micah Mikas Nahum Habakkuk Habakuk Zephaniah Sofonias Haggai Hagai"
    " Zechariah Zacarias Malachi Malakias Matthew Mateo Mark Marcos Luke Lucas John Juan Acts Gawa Romans Roma"
    " Corinthians Corinto Galatians Galacia Ephesians Efeso Philippians Filipos Colossians Colosas Thessalonians"
    " Tesalonica Timothy Timoteo Titus Tito Philemon Filemon Hebrews Hebreo James Santiago Peter Pedro Jude Judas"
    " Revelations? Pahayag"
).split()
_BIBLE_BOOK_ABBREVIATIONS = (
    "Gen Ex Lev Deut Josh Judg Neh Ps Psa Prov Eccl Isa Jer Lam Ezek Dan Matt Mt Mk Lk Jn Rom Cor Gal Eph Phil Col"
    " Thess Tim Heb Jas Pet Rev"
).split()
_BIBLE_VERSE_RE = re.compile(
    rf"\b(?:{'|'.join(_BIBLE_BOOKS + _BIBLE_BOOK_ABBREVIATIONS)})\.?\s+\d{{1,3}}:\d{{1,3}}(?:\s*[-–]\s*\d{{1,3}})?\b"
    r"(?!\s*(?:[ap]\.?m\b|n\.?[uhg]\.|ng\s+(?:umaga|hapon|gabi|tanghali)))"  # a time: "Mark 3:30 pm"
)
# A chapter alone ("Jeremiah 29", "Awit 23", "Ps 23"), unless the number counts something or is an age or a time
# ("Daniel 3 times", "Juan 12 anyos", "Mark 3 pm"). Short forms that are first names too ("Tim 3", "Phil 2") need a
# verse.
_BIBLE_CHAPTER_RE = re.compile(
    rf"\b(?:{'|'.join(_BIBLE_BOOKS + ['Ps', 'Psa'])})\.?\s+\d{{1,3}}\b(?![:.,/-]?\d)"
    r"(?!\s*(?i:%|[ap]\.?m\b|n\.?[uhg]\.|o'?clock|ng\s+(?:umaga|hapon|gabi|tanghali)"
    r"|(?:na\s+)?(?:taong?|years?|yrs?|y/?o|y\.o|anyos|times|beses|days?|araw|weeks?|linggo|months?|buwan|hours?|oras"
    r"|minutes?|minuto|pesos?|piso|(?:ako|siya|aq)|pa\s+(?:lang|lng))\b))"
)
# "the book of Jeremiah", "Ebanghelyo ni Juan", "Aklat ni Jeremias", "the Gospel according to Matthew", "Mabuting Balita
# ayon kay Mateo": a book of the Bible, not a person, unless a surname follows ("ang sulat ni Santiago Reyes"). Paul
# wrote letters but no book has his name: "Sulat ni Pablo" is one as a title, capitalised or with its readers ("ang
# sulat ni Pablo sa mga Taga-Corinto", "Paul's letter to the Corinthians"), while "ang sulat ni Pablo sa akin" is a
# person's letter. "sa mga Taga-Corinto" there names the book's readers, not a place.
_BOOK = rf"(?:{'|'.join(_BIBLE_BOOKS)})"
_SAINT_TITLE = r"(?:(?:San|Santo|Saint|St\.)\s+)?"
_NO_SURNAME = r"(?![ \t]+(?-i:[A-Z]))"
_BIBLE_READERS = rf"(?:\s+(?:sa\s+(?i:mga\s+)?|to\s+the\s+)(?i:taga-?\s*)?{_BOOK})"
_BIBLE_BOOK_NAMED_RE = re.compile(
    rf"\b(?:(?i:book|gospel|letter|epistle)\s+of|(?i:aklat|ebanghelyo|sulat|liham)\s+n[gi]|(?i:gospel)\s+according\s+to"
    rf"|(?i:ebanghelyo|mabuting\s+balita)\s+ayon\s+(?i:kay|sa))\s+{_SAINT_TITLE}{_BOOK}\b{_NO_SURNAME}{_BIBLE_READERS}?"
    rf"|\b(?:(?-i:Sulat|Liham)\s+ni\s+{_SAINT_TITLE}Pablo\b{_NO_SURNAME}{_BIBLE_READERS}?"
    rf"|(?i:sulat|liham)\s+ni\s+{_SAINT_TITLE}Pablo{_BIBLE_READERS}"
    rf"|{_SAINT_TITLE}Paul['’]s\s+(?i:(?:first|second)\s+)?(?i:letter|epistle)\s+to\s+the\s+{_BOOK})\b"
)
# Archangels named as such are religious figures, as Mama Mary is: "the angel Gabriel", "ang anghel na si Gabriel",
# "God's messenger is Gabriel", "Gabriel, the messenger of God". Elsewhere the name is a person's ("my cousin Gabriel"),
# and so is someone called one's angel ("my angel Gabriel", "our guardian angel Michael"), a name that goes on ("the
# angel Gabriel Santos") and "Angel" without "the", a first name too ("Angel Gabriel testified").
_ARCHANGEL = r"(?P<figure>(?-i:Gabriel|Michael|Miguel|Raphael|Rafael|Uriel))\b(?![ \t]+(?-i:[A-Z]))"
_ANGEL = r"(?:(?-i:angel)|(?<=\bthe\s)(?-i:Angel)|arch-?angel|ar?kanghel|anghel)"
_GODS_MESSENGER = (
    r"(?:(?:the\s+)?(?:God|the\s+Lord)['’]s\s+(?:messenger|angel)"
    r"|(?:the\s+)?(?:messenger|angel)\s+of\s+(?:God|the\s+Lord)"
    r"|(?:ang\s+)?(?:sugo|anghel)\s+ng\s+(?:Diyos|Panginoon))"
)
_RELIGIOUS_FIGURE_RES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"(?<!\bmy\s)(?<!\bour\s)(?<!\baking\s)(?<!\baming\s)(?<!\bguardian\s)\b{_ANGEL}\s+"
        rf"(?:na\s+)?(?:si\s+|named\s+|called\s+)?{_ARCHANGEL}",
        rf"\b{_GODS_MESSENGER}(?:\s+(?:is|was|ay)|,)?\s+(?:na\s+)?(?:si\s+)?{_ARCHANGEL}",
        rf"\b{_ARCHANGEL},?\s+(?:(?:is|was|ang|ay)\s+)?(?:{_GODS_MESSENGER}|(?:the|ang)\s+{_ANGEL}\b)",
    )
]
# Whom an archangel named as such comes to is a figure of the same story: "the angel Gabriel came to Mary", "ang anghel
# na si Gabriel ay nagpakita kay Maria"; with a surname a person ("came to Mary Santos").
_VISITED_BY_ARCHANGEL_RE = re.compile(
    r"[^.!?\n]{0,20}?\b(?:(?:came|appeared|spoke|went|said)\s+to|visited|greeted|told"
    r"|(?:nagpakita|dumalaw|bumati|nagsalita|nagpahayag|nagbalita)\s+(?:kay|sa))\s+"
    rf"(?P<figure>(?-i:Mary|Maria|Joseph|Jose|Elizabeth|Elisabet|Zechariah|Zacarias|Daniel))\b{_NO_SURNAME}",
    re.IGNORECASE,
)
# An archangel invoked as a saint, as the Filipino prayer does: "San Miguel Arkanghel", "Saint Raphael Archangel"; the
# saint and the archangel together (a town named San Miguel is a place).
_SAINT_ARCHANGEL_RE = re.compile(
    r"\b(?:San|Santo|Saint|St\.)\s+(?:Gabriel|Michael|Miguel|Raphael|Rafael|Uriel)\s+(?:the\s+)?"
    r"(?i:ar?kanghel|arch-?angel)\b"
)

# Maria Clara, the heroine of Rizal's Noli Me Tangere, names a dress and an ideal more often than a person: "Maria Clara
# gowns", "isang Maria Clara", "Maria Clara ang suot ko", the series "Maria Clara at Ibarra". With a surname, or with
# nothing around it that says so, she is a person ("Maria Clara Santos", "Maria Clara helped me").
_MARIA_CLARA_RE = re.compile(
    r"\bMaria\s+Clara(?:\s+(?:at|and|&)\s+Ibarra\b|(?=\s+(?i:gowns?|dress(?:es)?|attire|costumes?|outfits?|baro|barot"
    r"|terno|blouse|sleeves?|damit|kasuotan|ang\s+(?:suot|damit|isinuot))\b))"
    r"|\b(?i:ang|yung|isang|a|the|my|her|our|mga|(?:nag|naka|mag|isi|si)?suot\s+(?:(?:ko|ako|siya|kami|sila)\s+)?ng)"
    r"\s+Maria\s+Clara\b(?![ \t]+(?-i:[A-Z]))"
)

# Introducing oneself at the start of a sentence: "Jhaycee here, 22 na ako".
_SELF_INTRODUCTION_RE = re.compile(r"(?:^|(?<=[.!?]\s))([A-Z][a-z]+(?:[A-Z][a-z]+)?)\s+here\b(?=\s*[,.!:-])")


# --------------------------------------------------------------------------------------------
# Gazetteer and word lists from roundtable/data (see roundtable/data/SOURCES.md)
# --------------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower-case and strip accents, so "Parañaque" and "Paranaque" look the same."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_KEY_ALIASES = {"sta": "santa", "sto": "santo"}


def _key(word: str) -> str:
    """Look-up form of a word: folded, without a possessive "'s", with "Sta"/"Sto" spelled out."""
    folded = _fold(word).removesuffix("'s")
    return _KEY_ALIASES.get(folded, folded)


@dataclass(frozen=True)
class _Lexicon:
    places: dict[tuple[str, ...], str]  # token-key n-gram -> "region", "city", ..., "world"
    acronym_places: frozenset[tuple[str, ...]]
    provinces: frozenset[tuple[str, ...]]
    countries: frozenset[str]
    max_place_len: int
    common_words: frozenset[str]
    first_names: frozenset[str]
    common_first_names: frozenset[str]  # given to 1 in 1,000 people or more
    stop_words: frozenset[str]
    blocked: frozenset[tuple[str, ...]]
    max_blocked_len: int


def _read_lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(_key(m.group()) for m in _TOKEN_RE.finditer(phrase))


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    places: dict[tuple[str, ...], str] = {}
    acronyms: set[tuple[str, ...]] = set()
    entries = [line.split("\t", 1) for line in _read_lines("ph_places.txt")]
    entries += [["world", name] for name in _read_lines("world_cities.txt")]
    entries += [["world", name] for name in CITY_TERRITORIES]
    provinces = {_phrase_key(name) for level, name in entries if level == "province"}
    for level, name in entries:
        key = _phrase_key(name)
        places.setdefault(key, level)
        if name.isupper():
            acronyms.add(key)
    country_names = [name for name in _read_lines("countries.txt") if name not in CITY_TERRITORIES]
    countries = {_key(name) for name in country_names if " " not in name}
    stop_words = (
        CALENDAR_WORDS | RELIGIOUS_WORDS | LANGUAGE_WORDS | PLATFORM_WORDS | TITLE_WORDS
        | TOPIC_WORDS | PLACE_PREFIX_CUES | TEXTED_PRONOUNS | countries
    )
    blocked = {_phrase_key(p) for p in BLOCKED_PHRASES}
    blocked |= {_phrase_key(name) for name in country_names if " " in name}
    return _Lexicon(
        places=places,
        acronym_places=frozenset(acronyms),
        provinces=frozenset(provinces),
        countries=frozenset(countries),
        max_place_len=max(len(k) for k in places),
        common_words=frozenset(_read_lines("common_words.txt")),
        # The census lists "In", "My" and "An" too: before a place they open a sentence, not a name ("In Houston, …").
        first_names=frozenset(_key(n) for n in _read_lines("first_names.txt")) - FUNCTION_WORDS - LOCATIVE_WORDS,
        common_first_names=frozenset(_key(n) for n in _read_lines("common_first_names.txt")),
        stop_words=frozenset(stop_words),
        blocked=frozenset(blocked),
        max_blocked_len=max(len(k) for k in blocked),
    )


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------

@dataclass
class _Token:
    start: int
    end: int
    text: str
    word: str = field(init=False)  # folded: lower case, no accents
    key: str = field(init=False)  # see _key()
    initial: bool = False  # first word of a sentence, clause in quotes, or line
    opens_dialogue: bool = False  # first word after a dash that opens a line ("— Sana …", "— Marites, halika!")

    def __post_init__(self) -> None:
        self.word = _fold(self.text)
        self.key = _key(self.text)

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def shouting(self) -> bool:
        """All capitals and longer than one letter: an acronym or emphasis ("NGOs" is an acronym's plural)."""
        text = self.text[:-1] if len(self.text) > 2 and self.text.endswith("s") else self.text
        return len(text) > 1 and text.isupper()

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN_RE.finditer(text):
        word, start = match.group(), match.start()
        # "taga-Bohol", "Taga-Sitio Bukid", "taga-marinduque": a prefix glued to a name.
        head, _, rest = word.partition("-")
        if rest and ((rest[0].isupper() and head.islower()) or head.lower() == "taga"):
            tokens.append(_Token(start, start + len(head), head))
            start += len(head) + 1
            word = rest
        tokens.append(_Token(start, start + len(word), word))
    for index, token in enumerate(tokens):
        token.initial = _starts_sentence(text, tokens, index)
        token.opens_dialogue = not token.initial and _after_opening_dash(text, token.start)
    return tokens


def _after_opening_dash(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    if not before.endswith(("-", "–", "—")):
        return False
    opening = before[:-1].rstrip(" \t")
    return not opening or opening.endswith("\n")


def _starts_sentence(text: str, tokens: Sequence[_Token], index: int) -> bool:
    pos = tokens[index].start - 1
    while pos >= 0 and text[pos].isspace():
        if text[pos] == "\n":
            return True
        pos -= 1
    if pos < 0:
        return True
    last = text[pos]
    if last in "'‘’" and (pos == 0 or text[pos - 1].isspace() or text[pos - 1] in "\"“(:["):
        # A word cut short at its start ("'Yung korte…", "'Di ko alam") is no name wherever it stands; a word in
        # single quotes is one where it stands: "si 'Bong'" is a nickname, "Sabi nila, 'Yan ang…" opens words.
        if tokens[index].word in ELIDED_WORDS:
            return True
        return _starts_sentence(text[:pos] + " " + text[pos + 1:], tokens, index)
    if last in "\"“(:[":
        return not (last in "\"“" and _after_name_cue(text, pos))  # si "Bong": a nickname, not words opening
    if text.endswith(("[…]", "[...]"), 0, pos + 1):  # an editor's omission: what follows may open a sentence
        return True
    if last not in ".!?…":
        return False
    if last == "." and index > 0 and tokens[index - 1].end == pos:
        previous = tokens[index - 1]
        if previous.word in ABBREVIATIONS or (len(previous.text) == 1 and previous.capitalised):
            return False
    return True


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """True when only a space (or an abbreviation's full stop and a space) separates two words."""
    gap = text[left.end : right.start]
    if gap == " ":
        return True
    abbreviated = left.word in ABBREVIATIONS or (len(left.text) == 1 and left.capitalised)
    return abbreviated and gap in {".", ". "}


def _end_with_dot(text: str, token: _Token) -> int:
    if token.word in ABBREVIATIONS and text[token.end : token.end + 1] == ".":
        return token.end + 1
    return token.end


# --------------------------------------------------------------------------------------------
# Candidate spans and how they are chosen
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    kind: str | None  # None marks a blocked phrase ("Mama Mary"): it suppresses, never reported
    priority: int


# When candidates overlap, the higher priority wins, then the longer span.
PRIORITY_CONTACT = 100
# A number of a case-number list is no age read in "at" ("Kaso Blg. [institusyon] at 18-1234": "at" is "and").
PRIORITY_CASE_NUMBER = 95
PRIORITY_DATE = 90
PRIORITY_COURT = 85
PRIORITY_INSTITUTION = 80
# A book of the Bible named with its readers outranks the cue "taga-" in it ("Sulat ni Pablo sa mga Taga-Corinto").
PRIORITY_BIBLE_TITLE = 76
PRIORITY_PLACE_CUE = 75
# Blocked phrases outrank names and the gazetteer, not cue-word places ("Barangay Santo Niño").
PRIORITY_BLOCKED = 72
PRIORITY_NAME_CUE = 70
PRIORITY_GAZETTEER = 65
PRIORITY_WORKPLACE = 60
PRIORITY_SENTENCE_NAME = 45
PRIORITY_CAPITALISED = 40
PRIORITY_EXTRA_TERM = 30


class _Scanner:
    """Runs the token rules over one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenise(text)
        self.lex = _lexicon()
        for token in self.tokens:
            # A line of dialogue often opens with a word ("— Sana …", hopefully) or with the name of the person
            # spoken to ("— Marites, halika!"): only an everyday word there opens a sentence; a name stays a name.
            if token.opens_dialogue and self._is_everyday(token.key):
                token.initial = True

    # -- token predicates -------------------------------------------------------------------

    def _is_stop_word(self, token: _Token) -> bool:
        key = token.key
        return (
            key in self.lex.stop_words
            or (key.endswith("s") and key[:-1] in self.lex.stop_words)
            or key.startswith("anti-")  # names of laws: "Anti-Trafficking Law"
        )

    def _is_name_word(self, token: _Token) -> bool:
        """A word that can be part of a personal name after a cue (common words allowed)."""
        return (
            token.capitalised
            and not token.shouting
            and not token.is_number
            and not self._is_stop_word(token)
        )

    def _is_lowercase_name(self, token: _Token) -> bool:
        """After "si", "ni", "kay" (which come before a person's name or title), a word in lower case that is
        not an everyday word, or is a first name that is one too ("si ate joy", "si mark"), and is no title or
        relation, is a name written the way people type on phones. English endings do not make an everyday word
        here: "peping" is a nickname, not "pep" + "-ing"."""
        key, common = token.key, self.lex.common_words
        return (
            token.text.isalpha()
            and len(token.text) > 1
            and not self._is_stop_word(token)
            and key not in TITLE_WORDS | RELATION_NOUNS
            and (
                key in VIRTUE_NAMES
                or (key in self.lex.first_names and key not in FILIPINO_LITTLE_WORDS)  # "si gemma", "si mark"
                or (key not in common and not (key.endswith("ng") and key[:-2] in common))  # "si bagong ..."
            )
        )

    def _is_distinctive(self, token: _Token) -> bool:
        """A capitalised word that is not an everyday word, or is a first name; a letter and a word joined are that
        word ("X-ray" is no Ray)."""
        if "-" in token.key and self._is_everyday(token.key):
            return False
        return any(self._is_distinctive_word(part) for part in token.key.split("-"))

    def _is_distinctive_word(self, word: str) -> bool:
        if word in self.lex.first_names:
            return word not in VIRTUE_NAMES
        return word not in INSTITUTION_KIND_WORDS and not self._is_everyday(word)

    def _is_everyday(self, word: str) -> bool:
        return _is_everyday(word, self.lex.common_words)

    def _run(self, index: int, accept: Callable[[_Token], bool], limit: int = 5) -> int:
        """Extend from tokens[index] while ``accept`` holds; name particles may sit inside.

        Returns the index one past the run (== index when tokens[index] is not accepted)."""
        tokens = self.tokens
        if index >= len(tokens) or not accept(tokens[index]):
            return index
        end = index + 1
        while end < len(tokens) and end - index < limit:
            nxt = tokens[end]
            if not _adjacent(self.text, tokens[end - 1], nxt):
                break
            if accept(nxt) and not nxt.initial:
                end += 1
                continue
            if nxt.key in NAME_PARTICLES and not nxt.capitalised:
                after = end + 1
                while after < len(tokens) and tokens[after].key in NAME_PARTICLES:
                    after += 1
                if (
                    after < len(tokens)
                    and accept(tokens[after])
                    and _adjacent(self.text, tokens[after - 1], tokens[after])
                ):
                    end = after + 1
                    continue
            break
        return end

    def _span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of tokens[first:last], without a trailing possessive "'s"."""
        start, end = self.tokens[first].start, _end_with_dot(self.text, self.tokens[last - 1])
        if self.text[end - 2 : end] in {"'s", "’s"}:
            end -= 2
        return start, end

    # -- rules -------------------------------------------------------------------------------

    def blocked(self) -> Iterator[_Candidate]:
        """Religious figures, holidays and national bodies ("Mama Mary", "Court of Appeals")."""
        tokens, lex = self.tokens, self.lex
        for i in range(len(tokens)):
            for n in range(min(lex.max_blocked_len, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                if tuple(t.key for t in window) in lex.blocked and self._contiguous(window):
                    yield _Candidate(window[0].start, window[-1].end, None, PRIORITY_BLOCKED)
                    break

    def _contiguous(self, window: Sequence[_Token]) -> bool:
        return all(_adjacent(self.text, a, b) for a, b in pairwise(window))

    def gazetteer(self) -> Iterator[_Candidate]:
        tokens, lex = self.tokens, self.lex
        i = 0
        while i < len(tokens):
            matched = 0
            for n in range(min(lex.max_place_len, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                key = tuple(t.key for t in window)
                if key not in lex.places:
                    continue
                province_end = self._province_after(i + n) if lex.places[key] in TOWN_LEVELS else i + n
                if province_end > i + n and self._written_as_place(window):
                    matched = province_end - i  # "Rosario Batangas" is one place, as "Rosario, Batangas" is two
                    break
                if self._looks_like_place(window, key, i):
                    matched = n
                    break
            if matched:
                start, end = self._span(i, i + matched)
                kind = "name" if matched == 1 and self._first_name_not_a_town(i) else "place"
                yield _Candidate(start, end, kind, PRIORITY_GAZETTEER)
                i += matched
            else:
                i += 1

    def _first_name_not_a_town(self, i: int) -> bool:
        """ "We visited Mary": a common first name that is also a town only abroad is a person, unless a place's word
        comes shortly before it in its clause ("in Mary", "galing pa ng Milan") or its country after it ("Mary,
        Turkmenistan"). A city whose name few people are given is a city ("We visited Houston") unless it acts as only a
        person does ("Dallas told me")."""
        tokens, lex = self.tokens, self.lex
        token = tokens[i]
        if lex.places[(token.key,)] != "world" or token.key not in lex.first_names:
            return False
        if token.key not in lex.common_first_names and not self._first_name_acting(i):
            return False
        for previous in reversed(tokens[max(0, i - 3) : i]):
            if re.search(r"[,.;:!?]", self.text[previous.end : token.start]):
                break
            if previous.key in PLACE_CONTEXT_WORDS:
                return False
        return not (i + 1 < len(tokens) and self.text[token.end : tokens[i + 1].start] == ", "
                    and tokens[i + 1].key in lex.countries)

    def _first_name_before_surname(self, i: int) -> bool:
        """ "Maria Santos", "Mary Santos": a first name that is also a town, then a town's name that is no province,
        is a person, unless a place's word comes shortly before it in its clause ("sa Maria Santos")."""
        tokens, lex = self.tokens, self.lex
        if tokens[i].key not in lex.first_names or i + 1 >= len(tokens):
            return False
        nxt = tokens[i + 1]
        if (
            not _adjacent(self.text, tokens[i], nxt)
            or not self._is_name_word(nxt)
            or lex.places.get((nxt.key,)) not in TOWN_LEVELS | {"world"}
        ):
            return False
        for previous in reversed(tokens[max(0, i - 3) : i]):
            if re.search(r"[,.;:!?]", self.text[previous.end : tokens[i].start]):
                break
            if previous.key in PLACE_CONTEXT_WORDS:
                return False
        return True

    def _province_after(self, index: int) -> int:
        """End of a province's name that follows a town's, space only, at tokens[index] ("Bauang La Union")."""
        tokens = self.tokens
        if not 0 < index < len(tokens) or not _adjacent(self.text, tokens[index - 1], tokens[index]):
            return index
        for n in range(min(self.lex.max_place_len, len(tokens) - index), 0, -1):
            window = tokens[index : index + n]
            if tuple(t.key for t in window) in self.lex.provinces and self._written_as_place(window):
                return index + n
        return index

    def _written_as_place(self, window: Sequence[_Token]) -> bool:
        """Contiguous and capitalised, as a place's name is ("Agusan del Sur")."""
        return self._contiguous(window) and all(
            (token.key in GAZETTEER_CONNECTORS and not token.capitalised)
            or (token.capitalised and not token.shouting)
            for token in window
        )

    def _looks_like_place(self, window: Sequence[_Token], key: tuple[str, ...], i: int) -> bool:
        if key in self.lex.acronym_places:
            return self._contiguous(window) and all(t.text.isupper() for t in window)
        if not self._written_as_place(window):
            return False
        if len(window) == 1:
            token = window[0]
            if token.initial and token.key in self.lex.common_words:
                return False  # "Bago ako umalis" (bago = before), "Iba na ngayon"
            # "Ramon Dizon": a town's name followed by a surname is a person.
            nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
            if (
                nxt is not None
                and _adjacent(self.text, token, nxt)
                and self._is_name_word(nxt)
                and nxt.key not in PLACE_SUFFIX_CUES | INSTITUTION_SUFFIXES | {"city"}
                and ((nxt.key,) not in self.lex.places or self._first_name_before_surname(i))
            ):
                return False
            # "Gabriel Santos", "Juan P. Santos", "Maria Santos", "Lovely Santos": a town's name after a first name
            # (even one that is a town or a word too) or an initial is a surname; a town's or a province's name
            # after another town is a place ("Cebu Manila").
            previous = self.tokens[i - 1] if i else None
            if (
                previous is not None
                and not token.initial
                and _adjacent(self.text, previous, token)
                and self._is_name_word(previous)
                and (
                    len(previous.text) == 1
                    or (previous.key in self.lex.first_names | VIRTUE_NAMES
                        and ((previous.key,) not in self.lex.places or self._first_name_before_surname(i - 1)))
                )
            ):
                return False
        return True

    def place_cues(self) -> Iterator[_Candidate]:
        tokens = self.tokens
        for i, token in enumerate(tokens):
            # "Barangay San Isidro", "Brgy. 143", "Purok 4", "Sitio Bukid", "Kalye Luna"
            if token.key in PLACE_PREFIX_CUES and i + 1 < len(tokens):
                nxt = tokens[i + 1]
                if not _adjacent(self.text, token, nxt):
                    continue
                if nxt.is_number:
                    yield _Candidate(token.start, nxt.end, "place", PRIORITY_PLACE_CUE)
                    continue
                if nxt.key in GENERIC_INSTITUTION_WORDS:
                    continue  # "Barangay Hall"; "Barangay Captain" fails _is_name_word
                end = self._run(i + 1, self._is_name_word)
                if end == i + 1 and self._names_a_barangay(token, nxt):
                    end = self._run(i + 1, self._is_barangay_word, limit=3)
                if end > i + 1:
                    start, stop = self._span(i, end)
                    yield _Candidate(start, stop, "place", PRIORITY_PLACE_CUE)
            # "Phase 2", "Block 5", "Project 4", "Pier 4"
            elif (
                token.key in NUMBERED_PLACE_CUES and token.capitalised and i + 1 < len(tokens)
                and tokens[i + 1].is_number and _adjacent(self.text, token, tokens[i + 1])
            ):
                yield _Candidate(token.start, tokens[i + 1].end, "place", PRIORITY_PLACE_CUE)
            # "Rizal St.", "Katipunan Avenue", "Camella Homes", "Gateway Mall", "Luna street"
            elif token.key in PLACE_SUFFIX_CUES and (token.capitalised or token.key != "st") and i:
                if token.key == "st" and self._followed_by_name(i):
                    continue  # "St. Jude" is a saint, not a street
                first = self._run_backwards(i, self._is_place_word)
                if first < i and (token.key in ROAD_WORDS or self._is_specific(first, i)):  # not "the Public Market"
                    yield _Candidate(
                        tokens[first].start, _end_with_dot(self.text, token), "place",
                        PRIORITY_PLACE_CUE,
                    )
            # "SM City Cebu", "Robinsons Place Manila"
            elif token.key in MALL_BRANDS and (token.capitalised or token.shouting):
                end = self._run(i + 1, self._is_name_word)
                if end > i + 1 and _adjacent(self.text, token, tokens[i + 1]):
                    start, stop = self._span(i, end)
                    yield _Candidate(start, stop, "place", PRIORITY_PLACE_CUE)
            # "taga-Bohol", "taga Cebu"
            elif token.key == "taga" and i + 1 < len(tokens):
                end = self._run(i + 1, self._is_name_word)
                if end > i + 1:
                    start, stop = self._span(i + 1, end)
                    yield _Candidate(start, stop, "place", PRIORITY_PLACE_CUE)

    def _names_a_barangay(self, cue: _Token, first: _Token) -> bool:
        """After "brgy.", "bgy." or a capitalised "Barangay", words in lower case are the barangay's name ("taga brgy.
        maligaya kami"); after "barangay" typed in lower case, only when the first is a saint's or no everyday word
        ("sa barangay san roque", but "sa barangay tumulong", "ang barangay namin"). A sentence's first word is
        capitalised whatever it is."""
        if cue.key not in BARANGAY_CUES or first.capitalised or not self._is_barangay_word(first):
            return False
        typed_as_a_name = cue.key != "barangay" or (cue.capitalised and not cue.initial)
        return typed_as_a_name or first.key in SAINT_WORDS or not self._is_everyday(first.key)

    def _is_barangay_word(self, token: _Token) -> bool:
        """A word of a barangay's name, in any case: up to a little word or one that makes "barangay" a thing."""
        if token.capitalised:
            return self._is_name_word(token)
        key = token.key
        return (
            not token.is_number
            and not self._is_stop_word(token)
            and key not in FUNCTION_WORDS | BARANGAY_NOUNS | FILIPINO_LITTLE_WORDS | LOCATIVE_WORDS | NAME_MARKERS
            and key not in TITLE_WORDS | RELATION_NOUNS | GENERIC_INSTITUTION_WORDS | INSTITUTION_SUFFIXES
            and key.removesuffix("s") not in RELATION_NOUNS | INSTITUTION_SUFFIXES
        )

    def lowercase_places(self) -> Iterator[_Candidate]:
        """A place typed in lower case, the way people write on phones ("taga-marinduque", "sa quiapo",
        "im from pangasinan", "cubao, qc"): a gazetteer name after a place word or a comma, unless it is also
        an everyday word ("sa bago", "taga-bantay", a guard)."""
        tokens, lex = self.tokens, self.lex
        for i in range(1, len(tokens)):
            if tokens[i].capitalised:
                continue
            after_place_word = tokens[i - 1].key in LOCATIVE_WORDS
            if not after_place_word and self.text[tokens[i - 1].end : tokens[i].start] != ", ":
                continue
            for n in range(min(lex.max_place_len, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                names = [t for t in window if t.key not in GAZETTEER_CONNECTORS]
                key = tuple(t.key for t in window)
                if (
                    key in lex.places
                    and self._contiguous(window)
                    and not any(t.capitalised for t in window)
                    and (not all(self._is_everyday(t.key) for t in names)
                         or (after_place_word and self._well_known_place(key)))
                ):
                    start, end = self._span(i, i + n)
                    yield _Candidate(start, end, "place", PRIORITY_GAZETTEER)
                    break

    def _well_known_place(self, key: tuple[str, ...]) -> bool:
        """A province, city or region: frequency lists count "cebu" and "marikina" as everyday words only
        because Filipino text names them so often. A few are everyday words too ("bago", new; "palayan")."""
        return self.lex.places[key] in MAJOR_PLACE_LEVELS and key not in {(w,) for w in EVERYDAY_PLACE_NAMES}

    def _followed_by_name(self, i: int) -> bool:
        tokens = self.tokens
        return (
            i + 1 < len(tokens)
            and _adjacent(self.text, tokens[i], tokens[i + 1])
            and tokens[i + 1].capitalised
        )

    def _is_place_word(self, token: _Token) -> bool:
        return token.is_number or self._is_site_word(token)

    def _run_backwards(self, index: int, accept: Callable[[_Token], bool], limit: int = 5) -> int:
        """First index of the run of accepted words that ends just before tokens[index]."""
        tokens, first = self.tokens, index
        while first > 0 and index - first < limit:
            prev = tokens[first - 1]
            if not _adjacent(self.text, prev, tokens[first]) or not accept(prev):
                break
            first -= 1
            if prev.initial:
                break
        # A sentence's first word is only part of the name if it is not an everyday word, or is a saint's ("San
        # Isidro Village").
        common = self.lex.common_words
        while (
            first < index and tokens[first].initial and tokens[first].key in common
            and tokens[first].key not in SAINT_WORDS
        ):
            first += 1
        return first

    def institutions(self) -> Iterator[_Candidate]:
        tokens = self.tokens
        for i, token in enumerate(tokens):
            if not (token.capitalised or token.shouting):
                continue
            if token.key in INSTITUTION_SUFFIXES:
                first = self._institution_start(i)
                last = self._of_extension(i + 1)
                if first < i and self._is_specific(first, last, worship=token.key in PLACES_OF_WORSHIP):
                    start, end = self._span(first, last)
                    yield _Candidate(start, end, "institution", PRIORITY_INSTITUTION)
            if token.key in INSTITUTION_PREFIXES and i + 1 < len(tokens):
                j = i + 1
                while j < len(tokens) and tokens[j].key in SCHOOL_KIND_WORDS and tokens[j].capitalised:
                    j += 1
                if j < len(tokens) and tokens[j].key in {"ng", "ni", "of", "de"} and not tokens[j].capitalised:
                    j += 1
                if j < len(tokens) and _adjacent(self.text, tokens[j - 1], tokens[j]):
                    end = self._run(j, self._is_site_word)
                    if end > j and self._is_specific(i + 1, end):
                        start, stop = self._span(self._school_level_start(i), end)
                        yield _Candidate(start, stop, "institution", PRIORITY_INSTITUTION)

    def _school_level_start(self, head: int) -> int:
        """ "Mababang Paaralan ng Pook", "Mataas na Paaralang Pambansa ng Lucena": the level is part of the name."""
        tokens = self.tokens
        if tokens[head].key not in {"paaralan", "paaralang"} or not head:
            return head
        if tokens[head - 1].key == "mababang" and tokens[head - 1].capitalised:
            return head - 1
        mataas = tokens[head - 2] if head > 1 else None
        if tokens[head - 1].key == "na" and mataas is not None and mataas.key == "mataas" and mataas.capitalised:
            return head - 2
        return head

    def _is_site_word(self, token: _Token) -> bool:
        """Names of institutions and sites may use topic words ("Tahanan ng Pag-asa")."""
        return (
            token.capitalised
            and not token.shouting
            and token.key not in CALENDAR_WORDS | TITLE_WORDS | RELIGIOUS_WORDS | PLATFORM_WORDS
        )

    def _institution_start(self, head: int) -> int:
        """First word of an institution name ending at tokens[head] ("House of Hope ... Home")."""
        tokens, first = self.tokens, head
        while first > 0 and head - first < 7:
            prev = tokens[first - 1]
            if not _adjacent(self.text, prev, tokens[first]):
                break
            connector = prev.key in INSTITUTION_CONNECTORS and not prev.capitalised
            if not (connector or prev.capitalised or prev.is_number):
                break
            # "Sa San Roque Elementary School": "Sa" starts the sentence; "San Roque Elementary" opens it.
            if prev.capitalised and prev.initial and prev.key in self.lex.common_words and prev.key not in SAINT_WORDS:
                break
            first -= 1
            if prev.initial:
                break
        while first < head and tokens[first].key in INSTITUTION_CONNECTORS:
            first += 1
        return first

    def _of_extension(self, end: int) -> int:
        """Include "of Taytay" in "Sacred Heart Academy of Taytay"."""
        tokens = self.tokens
        if (
            end + 1 < len(tokens)
            and tokens[end].key == "of"
            and not tokens[end].capitalised
            and self._contiguous(tokens[end - 1 : end + 2])
        ):
            after = self._run(end + 1, self._is_name_word)
            if after > end + 1:
                return after
        return end

    def _is_specific(self, first: int, last: int, *, worship: bool = False) -> bool:
        """Some word besides generic ones ("Prosecutor's Office" alone names no office). Before a church's head word,
        a religious word names one ("Jesus is Lord Church", "Christ Church")."""
        for token in self.tokens[first:last]:
            if worship and token.key in RELIGIOUS_WORDS and token.capitalised and token.key not in INSTITUTION_SUFFIXES:
                return True
            if token.key in GENERIC_INSTITUTION_WORDS or token.key in INSTITUTION_SUFFIXES:
                continue
            if token.key in TITLE_WORDS or token.key in RELATION_NOUNS:  # "the Fiscal's Office"
                continue
            if token.key in CALENDAR_WORDS | RELIGIOUS_WORDS | LANGUAGE_WORDS | PLATFORM_WORDS:
                continue
            return True
        return False

    def courts(self) -> Iterator[_Candidate]:
        """ "RTC Branch 12", "Regional Trial Court Branch 59", "Family Court Branch 3"."""
        tokens = self.tokens
        for i, token in enumerate(tokens):
            if token.key not in BRANCH_WORDS or not token.capitalised or i + 1 >= len(tokens):
                continue
            j = i + 1
            if tokens[j].word == "no" and j + 1 < len(tokens):  # "Branch No. 12"
                j += 1
            number = tokens[j]
            if not number.is_number or not self._contiguous(tokens[i : j + 1]):
                continue
            first = i
            if i > 0 and tokens[i - 1].key in COURT_WORDS:
                while (
                    first > 0
                    and tokens[first - 1].key in COURT_NAME_WORDS
                    and _adjacent(self.text, tokens[first - 1], tokens[first])
                    and (tokens[first - 1].capitalised or tokens[first - 1].key == "in")
                ):
                    first -= 1
                while tokens[first].key == "in":
                    first += 1
            yield _Candidate(tokens[first].start, number.end, "institution", PRIORITY_COURT)

    def workplaces(self) -> Iterator[_Candidate]:
        """A brand named as the writer's workplace: "a Chowking branch", "I work at Jollibee"."""
        tokens = self.tokens
        work_seen = False
        for i, token in enumerate(tokens):
            if token.initial:
                work_seen = False
            if token.key in WORK_CUES:
                work_seen = True
                continue
            if token.key == "branch" and not token.capitalised and i > 0:
                prev = tokens[i - 1]
                if (
                    prev.capitalised
                    and not prev.initial
                    and _adjacent(self.text, prev, token)
                    and prev.key not in self.lex.stop_words
                ):
                    yield _Candidate(prev.start, prev.end, "institution", PRIORITY_WORKPLACE)
            if work_seen and token.key in {"at", "sa", "for"} and not token.capitalised:
                j = i + 1
                if j < len(tokens) and tokens[j].key in ARTICLES:
                    j += 1
                end = self._run(j, self._is_workplace_word)
                if end > j and not self._is_place_run(j, end):
                    work_seen = False  # the first name after the cue is the workplace
                    start, stop = self._span(j, end)
                    yield _Candidate(start, stop, "institution", PRIORITY_WORKPLACE)

    def _is_workplace_word(self, token: _Token) -> bool:
        """A word of a workplace's name. Brands are stop words elsewhere ("Jollibee", "Grab") but
        name the workplace after a work cue, and store names may start with a digit
        ("7-Eleven")."""
        if self._is_name_word(token):
            return True
        if not token.capitalised and not token.is_number:
            return False
        if token.key in PLATFORM_WORDS - COMMUNICATION_WORDS:
            return True
        head, _, rest = token.text.partition("-")
        return head.isdigit() and rest[:1].isupper() and _key(rest) not in DURATION_WORDS

    def _is_place_run(self, first: int, last: int) -> bool:
        return tuple(t.key for t in self.tokens[first:last]) in self.lex.places

    def name_cues(self) -> Iterator[_Candidate]:
        tokens = self.tokens
        for i, token in enumerate(tokens):
            start_at: int | None = None
            title = token.key in TITLE_WORDS and (
                token.capitalised or token.key in LOWERCASE_TITLES
            )
            if token.key in NAME_MARKERS or title:
                start_at = i + 1
            elif token.key in RELATION_NOUNS or token.key in NAMING_WORDS:
                start_at = i + 1
                while start_at < len(tokens) and tokens[start_at].key in RELATION_LINKERS:
                    start_at += 1
            if start_at is None:
                continue
            yield from self._names_after(i, start_at, plural=token.key in PLURAL_NAME_MARKERS)

    def _names_after(self, cue: int, index: int, plural: bool) -> Iterator[_Candidate]:
        """The name a cue introduces, or the names of a list after "sina", "nina", "kina": they go on after "at",
        "and" or a comma, and after the label an editor's redaction left where a name was ("sina [pangalan] at
        tasyo")."""
        tokens, previous = self.tokens, self.tokens[cue]
        listed_at = None  # where the next item of a list starts, after its "at", "and" or comma
        while index < len(tokens):
            gap = self.text[previous.end : tokens[index].start]
            item_start = listed_at if listed_at is not None else previous.end + len(gap) - 1
            label = _REDACTION_LABEL_RE.match(self.text, item_start) if plural and gap.endswith("[") else None
            if label is not None and (listed_at is not None or gap == " ["):
                stop = label.end()
            else:
                abbreviated = previous.word in ABBREVIATIONS and gap in {".", ". "}
                # "my brother, Dado": only a relation noun may have a comma before the name
                after_relation = tokens[cue].key in RELATION_NOUNS and gap == ", "
                if listed_at is None and gap != " " and not abbreviated and not after_relation:
                    return
                if listed_at is not None and tokens[index].start != listed_at:
                    return
                listed_at = None
                if tokens[index].key in TITLE_WORDS:  # "si Tito Boyet", "our neighbor, Mrs. Lim"
                    previous, index = tokens[index], index + 1
                    continue
                end = self._run(index, self._is_name_word, limit=4)
                if end == index and tokens[cue].key in NAME_MARKERS and self._is_lowercase_name(tokens[index]):
                    end = index + 1  # typed on a phone: "si jaypee", "si ate jenalyn"
                if end == index or (end == index + 1 and len(tokens[index].text) == 1):  # a placeholder: "Mr. X"
                    return
                start, stop = self._span(index, end)
                yield _Candidate(start, stop, "name", PRIORITY_NAME_CUE)
            separator = _NAME_LIST_SEPARATOR_RE.match(self.text, stop) if plural else None
            if separator is None:
                return
            listed_at = separator.end()
            index = next((i for i in range(index, len(tokens)) if tokens[i].start >= listed_at), len(tokens))
            previous = tokens[index - 1]

    def sentence_initial_names(self) -> Iterator[_Candidate]:
        """A sentence that opens with a known first name, or with an unknown word and then a verb
        that takes a person ("Dado was", "Lorie and I", "Dado ay tumestigo") or a relation it has
        ("Aldrin's mother")."""
        tokens, lex = self.tokens, self.lex
        for i, token in enumerate(tokens):
            if not token.initial or not self._is_name_word(token):
                continue
            if self._is_everyday(token.key) or (token.key,) in lex.places:
                if self._first_name_acting(i):  # "Pilar asked me": a town or a word does not ask
                    yield _Candidate(token.start, token.end, "name", PRIORITY_SENTENCE_NAME)
                elif (end := self._full_name_from(i)) > i + 1:  # "Angel Gabriel Santos", all of it
                    start, stop = self._span(i, end)
                    yield _Candidate(start, stop, "name", PRIORITY_SENTENCE_NAME)
                continue
            end = self._run(i, self._is_name_word, limit=4)
            nxt = tokens[end] if end < len(tokens) else None
            person_verb = (
                nxt is not None
                and (nxt.key in PERSON_VERBS or self._possessed_relation(tokens[end - 1], nxt))
                and _adjacent(self.text, tokens[end - 1], nxt)
            )
            if (token.key in lex.first_names or person_verb or self._appositive_relation(end)
                    or self._spoken_to(end)):
                start, stop = self._span(i, end)
                yield _Candidate(start, stop, "name", PRIORITY_SENTENCE_NAME)

    def _first_name_acting(self, i: int) -> bool:
        tokens = self.tokens
        return (
            tokens[i].key in self.lex.first_names
            and tokens[i].key not in TITLE_WORDS | RELATION_NOUNS | KIN_POSSESSORS
            and i + 1 < len(tokens)
            and tokens[i + 1].key in ACTING_VERBS
            and _adjacent(self.text, tokens[i], tokens[i + 1])
        )

    def _full_name_from(self, i: int) -> int:
        """One past the full name that a first name which is also a word or a town opens ("Angel Gabriel Santos",
        "Grace Dizon"): the names after it are no everyday words; ``i`` when there is none."""
        tokens = self.tokens
        first_names = self.lex.first_names | VIRTUE_NAMES
        if tokens[i].key not in first_names or tokens[i].key in TITLE_WORDS | RELATION_NOUNS | KIN_POSSESSORS:
            return i
        end = self._run(i, self._is_name_word, limit=4)
        return end if any(self._is_distinctive(t) for t in tokens[i + 1 : end]) else i

    def _spoken_to(self, end: int) -> bool:
        """The words before tokens[end] are the person a sentence speaks to: a comma, then "you" in the same
        clause ("Mhel, kung nababasa mo ito", "Jomar, thank you for waiting")."""
        tokens = self.tokens
        if end >= len(tokens) or self.text[tokens[end - 1].end : tokens[end].start] != ", ":
            return False
        clause = re.split(r"[.!?:;]", self.text[tokens[end].start :], maxsplit=1)[0]
        return any(_fold(word) in SECOND_PERSON_WORDS for word in _TOKEN_RE.findall(clause))

    @staticmethod
    def _possessed_relation(owner: _Token, nxt: _Token) -> bool:
        return owner.text.endswith(("'s", "’s")) and nxt.key in RELATION_NOUNS | KIN_POSSESSORS

    def _appositive_relation(self, end: int) -> bool:
        """The words before tokens[end] are followed by an appositive relation between commas:
        "Migs, my classmate from ..., was", "Tonyo, the driver, ...", "Nonoy, ang pinsan ko,"."""
        tokens = self.tokens
        if end >= len(tokens) or self.text[tokens[end - 1].end : tokens[end].start] != ", ":
            return False
        j = end
        if tokens[j].key in APPOSITIVE_DETERMINERS and j + 1 < len(tokens):
            j += 1
        # "my mother's brother": a possessive relation may come first
        if tokens[j].key in RELATION_NOUNS | KIN_POSSESSORS and tokens[j].text.endswith("'s"):
            j += 1
        if j >= len(tokens) or tokens[j].key not in RELATION_NOUNS or tokens[j].capitalised:
            return False
        # The appositive closes with a second comma in the same sentence; without it the relation
        # is the subject and the first word an interjection ("Ewan, my aunt never explained").
        rest = re.split(r"[.!?]", self.text[tokens[j].end :], maxsplit=1)[0]
        return "," in rest

    def capitalised_words(self) -> Iterator[_Candidate]:
        """Capitalised words in mid-sentence that are not everyday or calendar words.

        Survivors' reflections rarely capitalise anything else, so these are mostly names of
        people and places; the word before tells which ("sa Divisoria" is a place)."""
        tokens, lex = self.tokens, self.lex
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.initial or not self._is_name_word(token):
                i += 1
                continue
            end = self._run(i, self._is_name_word, limit=4)
            run = tokens[i:end]
            if any(self._is_distinctive(t) for t in run if t.key not in NAME_PARTICLES):
                previous = tokens[i - 1] if i else None
                kind = "name"
                after_locative = previous is not None and previous.key in LOCATIVE_WORDS
                if after_locative and run[0].key not in lex.first_names:
                    kind = "place"
                start, stop = self._span(i, end)
                yield _Candidate(start, stop, kind, PRIORITY_CAPITALISED)
            i = end


def _regex_candidates(text: str) -> Iterator[_Candidate]:
    for regex in (_EMAIL_RE, _SPELLED_EMAIL_RE):
        for match in regex.finditer(text):
            yield _Candidate(match.start(), match.end(), "contact", PRIORITY_CONTACT)
    for regex in (_SOCIAL_URL_RE, _URL_RE, _HANDLE_RE):
        for match in regex.finditer(text):
            yield _Candidate(match.start(), match.end(), "handle", PRIORITY_CONTACT)
    for regex in (_USERNAME_RE, _AT_PLATFORM_RE, _AS_ON_PLATFORM_RE):
        for match in regex.finditer(text):
            yield _Candidate(match.start(1), match.end(1), "handle", PRIORITY_CONTACT - 1)
    for match in _NAME_IS_MINE_RE.finditer(text):
        yield _Candidate(match.start(1), match.end(1), "name", PRIORITY_NAME_CUE)
    for match in _MY_NAME_IS_RE.finditer(text):
        if _key(match.group(1).split()[0]) not in TITLE_WORDS:  # "his name was Mr. Cruz": the title's cue finds it
            yield _Candidate(match.start(1), match.end(1), "name", PRIORITY_NAME_CUE)
    common_words = _lexicon().common_words
    for match in _DECLARED_USERNAME_RE.finditer(text):
        if match.group("shown"):
            yield _Candidate(match.start("shown"), match.end("shown"), "handle", PRIORITY_CONTACT - 1)
        elif _declared_account(text, match, common_words):
            yield _Candidate(match.start("account"), match.end("account"), "handle", PRIORITY_CONTACT - 1)
    for match in _PHONE_RE.finditer(text):
        kind = "handle" if _after_wallet_cue(text, match.start()) else "contact"
        yield _Candidate(match.start(), match.end(), kind, PRIORITY_CONTACT)
    for match in _ACCOUNT_NUMBER_RE.finditer(text):
        if _after_wallet_cue(text, match.start()):
            yield _Candidate(match.start(), match.end(), "handle", PRIORITY_CONTACT - 1)
    for match in _INITIALS_RE.finditer(text):
        if _initials_of_a_person(text, match):
            yield _Candidate(match.start(), match.end(), "name", PRIORITY_NAME_CUE)
    for match in _POLICE_STATION_RE.finditer(text):
        yield _Candidate(match.start(), match.end(), "institution", PRIORITY_COURT)
    for regex in (_BIBLE_VERSE_RE, _BIBLE_CHAPTER_RE):
        for match in regex.finditer(text):
            if not _after_name_cue(text, match.start()):  # "si Mark 3:30 ng hapon" is a person and a time
                yield _Candidate(match.start(), match.end(), None, PRIORITY_BLOCKED)
    for match in _BIBLE_BOOK_NAMED_RE.finditer(text):
        yield _Candidate(match.start(), match.end(), None, PRIORITY_BIBLE_TITLE)
    for regex in _RELIGIOUS_FIGURE_RES:
        for match in regex.finditer(text):
            yield _Candidate(match.start("figure"), match.end("figure"), None, PRIORITY_BLOCKED)
            if visited := _VISITED_BY_ARCHANGEL_RE.match(text, match.end()):
                yield _Candidate(visited.start("figure"), visited.end("figure"), None, PRIORITY_BLOCKED)
    for regex in (_SAINT_ARCHANGEL_RE, _MARIA_CLARA_RE):
        for match in regex.finditer(text):
            yield _Candidate(match.start(), match.end(), None, PRIORITY_BLOCKED)
    for match in _CASE_NUMBER_RE.finditer(text):
        words_start = match.start()  # "Crim." and "CC" are no name, nor "and" between numbers
        for start, end in _case_numbers(match):
            yield _Candidate(words_start, start, None, PRIORITY_BLOCKED)
            yield _Candidate(start, end, "institution", PRIORITY_CASE_NUMBER)
            words_start = end
    yield from _age_candidates(text)
    for regex in _DATE_RES:
        for match in regex.finditer(text):
            start, end = match.span("date" if "date" in regex.groupindex else 0)
            yield _Candidate(start, end, "date", PRIORITY_DATE)
    for regex in _LIFE_EVENT_YEAR_RES:
        for match in regex.finditer(text):
            yield _Candidate(match.start("year"), match.end("year"), "date", PRIORITY_DATE)
    for match in _SELF_INTRODUCTION_RE.finditer(text):
        if _fold(match.group(1)) not in common_words:
            yield _Candidate(match.start(1), match.end(1), "name", PRIORITY_NAME_CUE)


def _age_candidates(text: str) -> Iterator[_Candidate]:
    """Each age's own words (see _AGE_RES); ages that overlap ("When I was twelve" and "twelve years old") are one,
    as wide as all of them."""
    spans = [
        match.span("age" if "age" in regex.groupindex else 0)
        for regex in _AGE_RES
        for match in regex.finditer(text)
    ]
    spans += [match.span("age") for match in _AT_AGE_RE.finditer(text) if _at_an_age(text, match)]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        yield _Candidate(start, end, "age", PRIORITY_DATE)


def _is_everyday(word: str, common: frozenset[str]) -> bool:
    """In the common-word list, or an inflection of a word in it ("testifying", "kindness"), or a letter joined to one
    ("x-ray", "t-shirt", "e-mail")."""
    if word in common:
        return True
    if len(word) > 3 and word[1] == "-":
        return _is_everyday(word[2:], common)
    for suffix, replacements in INFLECTION_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            if any(stem + r in common for r in replacements):
                return True
    return False


def _declared_account(text: str, match: re.Match, common: frozenset[str]) -> bool:
    """The word after "IG:", "my fb is" ... is the account when it is no everyday word ("fb is deactivated" is one), or
    when it ends its clause (see _ENDS_CLAUSE_RE) and says nothing of the account: after a label's colon (where "and",
    "so", "at" ... end it before a clause with its own subject or a request: "IG: kindness and I post about healing"),
    and after "is" or "ay" (where they end it before any word) where the account is someone's ("my IG is kindness",
    "ang IG ko ay kindness"; not "Point X is important") and the word does not describe it ("my IG is boring"). A
    messaging app typed in lower case is a word too ("a messenger: hope, sabi ng pastor"), and so is a message quoted
    from a platform ("sabi ni Nanay sa FB ko: ingat.") or written on it ("sa FB ko: ingat."; but "i-add nyo ako sa FB
    ko: Rhealyn" gives the account)."""
    account = match.group("account")
    word = _fold(account)
    if len(account) < 3 or word in NO_ACCOUNT_WORDS | FUNCTION_WORDS | FILIPINO_LITTLE_WORDS:
        return False
    sentence = _SENTENCE_BREAK_RE.split(text[: match.start("platform")])[-1]
    if match.group("colon") and _QUOTED_ON_PLATFORM_RE.search(sentence):
        return False
    if match.group("colon") and _ON_PLATFORM_RE.search(sentence) and not _FIND_ME_RE.search(sentence):
        return False
    if not _is_everyday(word, common):
        return True
    platform = match.group("platform")
    if platform.islower() and platform in {"messenger", "telegram"}:
        return False
    if not match.group("colon"):
        owner = sentence.split()[-1:] + text[match.end("platform") : match.start("account")].split()
        if not OWNER_WORDS.intersection(_fold(each) for each in owner) or word.endswith(_DESCRIBING_ENDINGS):
            return False
    return bool(
        _ENDS_CLAUSE_RE.match(text, match.end("account"))
        or (_LABEL_THEN_CLAUSE_RE if match.group("colon") else _NEXT_CLAUSE_RE).match(text, match.end("account"))
    )


def _initials_of_a_person(text: str, match: re.Match) -> bool:
    """ "M.J. and I", "si J.R.", "my cousin A.B.": not "R.A. 9208", "2 P.M. and I" or "the U.S. and …"."""
    if match.group().replace(".", "").lower() in NOT_INITIALS:
        return False
    before = text[max(0, match.start() - 40) : match.start()].split()[-1:]
    after = text[match.end() : match.end() + 40].split()[:1]
    cue = bool(before) and _key(before[0].rstrip(".,")) in NAME_MARKERS | TITLE_WORDS | RELATION_NOUNS
    return cue or (bool(after) and _fold(after[0]) in PERSON_VERBS)


def _after_name_cue(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start].split()[-1:]
    return bool(before) and _key(before[0].rstrip(".,")) in NAME_MARKERS | TITLE_WORDS


def _after_wallet_cue(text: str, start: int) -> bool:
    """A number right after "GCash", "PayMaya", ... in the same sentence is a wallet account."""
    window = _SENTENCE_BREAK_RE.split(text[max(0, start - 50) : start])[-1]
    return bool(_WALLET_CUE_RE.search(window))


@lru_cache(maxsize=4096)
def _fold_character(char: str) -> str:
    """One character in lower case without its accents ("Ñ" is "n"); nothing for an accent typed on its own after
    its letter. A character with no one-letter form ("ß", "ﬁ") stays itself, so that positions can be kept."""
    if unicodedata.combining(char):
        return ""
    base = "".join(c for c in unicodedata.normalize("NFKD", char.replace("’", "'")) if not unicodedata.combining(c))
    for folded in (base.lower(), char.lower()):
        if len(folded) == 1:
            return folded
    return char


_ASCII_LOWER = {ord(char): char.lower() for char in string.ascii_uppercase}


def _fold_with_positions(text: str) -> tuple[str, list[int] | None]:
    """``text`` folded character by character, and where each folded character starts in ``text`` (with the length
    of ``text`` at the end); None when the positions are the same ("Niña" is "nina", "Nin" + a tilde is too)."""
    if text.isascii():
        return text.lower(), None
    letters = {char: _fold_character(char) for char in set(text) if not char.isascii()}
    folded = text.translate(_ASCII_LOWER | {ord(char): letter for char, letter in letters.items()})
    if len(folded) == len(text):
        return folded, None
    dropped = {char for char, letter in letters.items() if not letter}  # accents typed on their own
    return folded, [index for index, char in enumerate(text) if char not in dropped] + [len(text)]


@lru_cache(maxsize=64)
def _extra_terms_re(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = sorted({_fold_with_positions(t.strip())[0] for t in terms if t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, t.split())) for t in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _extra_term_spans(text: str, terms: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """Where the roundtable's sensitive words are, in any case and with or without accents, as the editor's search
    finds words: "Nina" finds "Niña", "piñahan" finds "pinahan"."""
    pattern = _extra_terms_re(terms)
    if pattern is None:
        return
    folded, starts = _fold_with_positions(text)
    for match in pattern.finditer(folded):
        if starts is None:
            yield match.span()
        else:  # an accent typed after the last letter belongs to the word: up to the next folded character
            yield starts[match.start()], starts[match.end()]


def detect(text: str, extra_terms: Iterable[str] = ()) -> list[Finding]:
    """Find details that could identify someone; non-overlapping and sorted by start."""
    return read(text, extra_terms)[0]


def read(text: str, extra_terms: Iterable[str] = ()) -> tuple[list[Finding], list[tuple[int, int]]]:
    """What ``detect`` finds, and where it reads words as no detail though they look like one (the dress in "Maria
    Clara gowns", "Mama Mary", the "Crim. Case No." before a case number)."""
    if not text:
        return [], []
    candidates = list(_regex_candidates(text))
    scanner = _Scanner(text)
    for rule in (
        scanner.blocked, scanner.courts, scanner.institutions, scanner.place_cues,
        scanner.name_cues, scanner.gazetteer, scanner.lowercase_places, scanner.workplaces,
        scanner.sentence_initial_names, scanner.capitalised_words,
    ):
        candidates.extend(rule())
    candidates.extend(
        _Candidate(start, end, "name", PRIORITY_EXTRA_TERM)
        for start, end in _extra_term_spans(text, tuple(extra_terms))
    )
    return _choose(text, candidates)


def _choose(text: str, candidates: list[_Candidate]) -> tuple[list[Finding], list[tuple[int, int]]]:
    """Keep the strongest candidates (then the longest) that do not overlap a kept one: the findings, sorted by start,
    and the spans of the blocked phrases kept."""
    kept: list[_Candidate] = []
    taken = bytearray(len(text))
    for cand in sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if cand.end <= cand.start or any(taken[cand.start : cand.end]):
            continue
        taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
        kept.append(cand)
    findings = [
        Finding(c.start, c.end, c.kind, text[c.start : c.end]) for c in kept if c.kind is not None
    ]
    return sorted(findings, key=lambda f: f.start), [(c.start, c.end) for c in kept if c.kind is None]


# --------------------------------------------------------------------------------------------
# Evaluation against a labelled JSONL file (scoring rules: shared/pii/README.md)
# --------------------------------------------------------------------------------------------

@dataclass
class Evaluation:
    recall: dict[str, float]
    overall_recall: float
    precision: float
    negative_lines: int
    negative_lines_flagged: int
    misses: list[tuple[str, str, str]]  # (id, kind, text)
    false_alarms: list[tuple[str, str, str]]


class UnlabelledLine(ValueError):
    """A labelled file that cannot be scored; says which line and why, or that it has no line."""


def read_labelled(lines: Iterable[bytes]) -> list[dict]:
    """The rows of a labelled JSONL file (format: tests/data/pii_README.md), each checked before any is scored."""
    rows = []
    for number, line in enumerate(lines, start=1):
        try:
            row = json.loads(line.decode("utf-8")) if line.strip() else None
        except UnicodeDecodeError:
            raise UnlabelledLine(f"line {number} is not UTF-8 text") from None
        except json.JSONDecodeError:
            raise UnlabelledLine(f"line {number} is not JSON") from None
        if row is None:
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise UnlabelledLine(f'line {number} has no "text"')
        if not isinstance(row.get("spans"), list):
            raise UnlabelledLine(f'line {number} has no "spans" (a list; [] for a line with nothing to find)')
        for span in row["spans"]:
            if not (isinstance(span, dict) and all(type(span.get(key)) is int for key in ("start", "end"))
                    and span.get("kind") in KINDS):
                raise UnlabelledLine(f'line {number} has a span without "start" and "end" (whole numbers) and '
                                     f'"kind" (one of {", ".join(KINDS)})')
            # A span off by one from a labelling tool would be scored as a miss, lowering recall without a word.
            if span["start"] >= span["end"]:
                raise UnlabelledLine(f'line {number} has a span whose "end" ({span["end"]}) does not come after its '
                                     f'"start" ({span["start"]})')
            if span["start"] < 0 or span["end"] > len(row["text"]):
                raise UnlabelledLine(f'line {number} has a span outside its text ("start" {span["start"]}, "end" '
                                     f'{span["end"]}; the text has {len(row["text"])} characters)')
            span.setdefault("text", row["text"][span["start"]:span["end"]])
        row.setdefault("id", f"line {number}")
        rows.append(row)
    if not rows:  # a wrong path to an empty export would read as a perfect detector
        raise UnlabelledLine("has no lines to score")
    return rows


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def evaluate(rows: Iterable[dict]) -> Evaluation:
    """Score detect() on labelled rows: a span is caught when any finding overlaps it."""
    caught: dict[str, int] = {}
    total: dict[str, int] = {}
    true_positives = findings_count = negatives = negatives_flagged = 0
    misses: list[tuple[str, str, str]] = []
    false_alarms: list[tuple[str, str, str]] = []
    for row in rows:
        spans, findings = row["spans"], detect(row["text"])
        findings_count += len(findings)
        for f in findings:
            if any(_overlaps(f.start, f.end, s["start"], s["end"]) for s in spans):
                true_positives += 1
            else:
                false_alarms.append((row["id"], f.kind, f.text))
        for s in spans:
            total[s["kind"]] = total.get(s["kind"], 0) + 1
            hit = any(_overlaps(f.start, f.end, s["start"], s["end"]) for f in findings)
            caught[s["kind"]] = caught.get(s["kind"], 0) + hit
            if not hit:
                misses.append((row["id"], s["kind"], s["text"]))
        if not spans:
            negatives += 1
            negatives_flagged += bool(findings)
    all_spans = sum(total.values())
    return Evaluation(
        recall={k: caught[k] / total[k] for k in KINDS if k in total},
        overall_recall=sum(caught.values()) / all_spans if all_spans else 1.0,
        precision=true_positives / findings_count if findings_count else 1.0,
        negative_lines=negatives,
        negative_lines_flagged=negatives_flagged,
        misses=misses,
        false_alarms=false_alarms,
    )


def print_report(result: Evaluation, out=sys.stdout) -> None:
    print("recall per kind:", file=out)
    for kind, value in result.recall.items():
        print(f"  {kind:<12} {value:.3f}", file=out)
    print(f"overall recall:    {result.overall_recall:.3f}", file=out)
    print(f"overall precision: {result.precision:.3f}", file=out)
    print(
        f"negative lines with a finding: {result.negative_lines_flagged}"
        f" of {result.negative_lines}",
        file=out,
    )
    print(f"misses ({len(result.misses)}):", file=out)
    for row_id, kind, text in result.misses:
        print(f"  {row_id}\t{kind}\t{text}", file=out)
    print(f"false alarms ({len(result.false_alarms)}):", file=out)
    for row_id, kind, text in result.false_alarms:
        print(f"  {row_id}\t{kind}\t{text}", file=out)
