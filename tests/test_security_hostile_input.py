"""Random and hostile values posted to every form never cause a server error and never store markup."""

import ast
import re
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, Text, select

import roundtable
from roundtable.access import PARTICIPANT, PUBLIC, audience_of
from roundtable.db import Base, db
from roundtable.models.types import EncryptedText
from tests.conftest import csrf_token_of

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>", "javascript:alert(1)",
    "' OR '1'='1", "1; DROP TABLE users; --", "' UNION SELECT password_hash FROM users --", "%00", "\x00\x01\x1b[31m",
    "\u202etxt.exe", "\ufeff", "../../etc/passwd", "{{7*7}}", "${7*7}", "\r\nSet-Cookie: x=1", "-1", "0",
    "99999999999999999999999999", "1e309", "NaN", "true", "[]", "{}", "A" * 5000, "é" * 300, "🙂" * 200,
]
GENERIC_FIELDS = ["text", "note", "action", "decision", "status", "language", "format", "name_en", "name_fil",
                  "title_en", "title_fil", "roles", "username", "password", "code", "passphrase", "translation"]

values = st.one_of(
    st.sampled_from(HOSTILE).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.text(max_size=60).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.binary(max_size=60),  # often invalid UTF-8
)
HUGE = b"x" * 300_000  # beyond MAX_CONTENT_LENGTH: answered 413
NAME = re.compile(r'\bname="([^"]+)"')
MARKUP = re.compile(r"<script|<[a-zA-Z]", re.IGNORECASE)


@pytest.fixture
def world(app, make):
    """One of everything, and a signed-in browser per audience."""
    admin, editor = make.user("admin"), make.user("editor")
    victim = make.user("editor")
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    participant = make.participant(roundtable)
    reflection = make.reflection(participant, status="released")
    quote = make.quote(reflection, editor=editor, approve=False)
    from roundtable.services import curation

    theme = curation.add_theme(editor, "Courts", "Mga korte")
    db.session.commit()
    ids = {
        "prompt_id": roundtable.prompts[0].id, "reflection_id": reflection.id, "roundtable_id": roundtable.id,
        "quote_id": quote.id, "theme_id": theme.id, "user_id": victim.id, "index": 0,
    }
    return {"users": {"admin": admin, "editor": editor, "facilitator": facilitator},
            "participant": participant, "ids": ids}


def _browser(app, world, audience):
    browser = app.test_client()
    if PARTICIPANT in audience:
        page = browser.get("/return")
        browser.post("/return", data={"passphrase": world["participant"].passphrase, "csrf_token": csrf_token_of(page)})
        token_page = browser.get(f"/write/{world['ids']['prompt_id']}")
    elif PUBLIC in audience:
        token_page = browser.get("/login")
    else:
        user = world["users"][audience[0]]
        page = browser.get("/login")
        browser.post("/login", data={"username": user.username, "password": "a long test password 1",
                                     "csrf_token": csrf_token_of(page)})
        token_page = browser.get("/account/password")
    if token_page.status_code != 200:
        return None, None
    return browser, csrf_token_of(token_page)


def _post_endpoints(app):
    with app.app_context():
        return sorted(
            (rule.endpoint, rule.rule, tuple(sorted(rule.arguments)), audience_of(rule.endpoint))
            for rule in app.url_map.iter_rules() if "POST" in rule.methods
        )


def _methods(app, endpoint):
    return {m for rule in app.url_map.iter_rules(endpoint) for m in rule.methods}


def _url(rule: str, args, ids) -> str:
    for arg in args:
        rule = re.sub(r"<(?:\w+:)?%s>" % arg, str(ids.get(arg, 1)), rule)
    return rule


def _fields_of(app, world, endpoints) -> dict[str, list[str]]:
    """The field names each form really has (read from its page), and the generic ones."""
    fields_of = {}
    for endpoint, rule, args, audience in endpoints:
        browser, _token = _browser(app, world, audience)
        url = _url(rule, args, world["ids"])
        page = browser.get(url) if browser is not None and "GET" in _methods(app, endpoint) else None
        names = set(NAME.findall(page.get_data(as_text=True))) if page is not None and page.status_code == 200 else set()
        fields_of[endpoint] = sorted(names | set(GENERIC_FIELDS) | {"csrf_token"})
    return fields_of


def test_every_form_survives_hostile_values(app, world):
    endpoints = _post_endpoints(app)
    assert len(endpoints) >= 20
    fields_of = _fields_of(app, world, endpoints)
    statuses = []

    @settings(max_examples=250, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def post_hostile(data):
        endpoint, rule, args, audience = data.draw(st.sampled_from(endpoints), label="endpoint")
        names = data.draw(st.lists(st.sampled_from(fields_of[endpoint]), max_size=8), label="fields")
        pairs = [(n.encode(), data.draw(values, label=n)) for n in names if not n.endswith("csrf_token")]
        if pairs and data.draw(st.integers(0, 15), label="huge") == 11:
            pairs[0] = (pairs[0][0], HUGE)
        browser, token = _browser(app, world, audience)
        if browser is None:
            return  # e.g. the participant withdrew in an earlier example
        pairs += [(n.encode(), token.encode()) for n in fields_of[endpoint] if n.endswith("csrf_token")]
        body = "&".join(f"{quote_from_bytes(k)}={quote_from_bytes(v)}" for k, v in pairs)
        url = _url(rule, args, world["ids"])
        response = browser.post(url, data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, (endpoint, response.status_code, body[:300])
        statuses.append(response.status_code)

    post_hostile()
    # the views were really reached (a CSRF refusal for everything would prove nothing); 404 is an object
    # that an earlier example removed, 413 a body beyond MAX_CONTENT_LENGTH
    import collections
    assert sum(1 for s in statuses if s not in (400, 413)) > len(statuses) * 2 // 3, collections.Counter(statuses)

    stored = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, EncryptedText))]
        if columns:
            for row in db.session.execute(select(*columns)):
                stored.extend(v for v in row if isinstance(v, str))
    db.session.remove()
    markup = [value[:80] for value in stored if MARKUP.search(value)]
    assert not markup, markup


def _every_form(app, world):
    """Each form post of the app, by one of its audience: (endpoint, url, field names, browser, CSRF token)."""
    endpoints = _post_endpoints(app)
    fields_of = _fields_of(app, world, endpoints)
    for endpoint, rule, args, audience in endpoints:
        browser, token = _browser(app, world, audience)
        if browser is not None:
            yield endpoint, _url(rule, args, world["ids"]), fields_of[endpoint], browser, token


def test_a_nul_character_in_any_field_of_any_form_is_no_error(app, world):
    """PostgreSQL refuses text with a NUL in it: sent in a hidden field (the writing page's idempotency key) or
    a sign-in name it gave a 500, and the reflection sent with it was lost. Every field of every form, at once."""
    for endpoint, url, fields, browser, token in _every_form(app, world):
        data = {name: token if name.endswith("csrf_token") else "Hear\x00us" for name in fields}
        response = browser.post(url, data=data)
        assert response.status_code < 500, (endpoint, response.status_code)


TOO_LARGE = "9" * 25  # beyond PostgreSQL's integer and bigint alike


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("spelled", [
    pytest.param(lambda n: TOO_LARGE, id="beyond the database's integer"),
    pytest.param(lambda n: "0" + n, id="leading zero"),
    pytest.param(lambda n: n.translate(ARABIC_INDIC), id="Arabic-Indic digits"),
    pytest.param(lambda n: n.translate(FULL_WIDTH), id="full-width digits"),
])
def test_a_record_number_in_a_path_names_something_only_as_plain_digits_the_database_can_hold(app, world, spelled):
    """Each record has one address: Python reads "01", "١" and "１" as 1."""
    rules = [(rule.endpoint, rule.rule, audience_of(rule.endpoint)) for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and "<int:" in rule.rule]
    assert len(rules) >= 8
    for endpoint, rule, audience in rules:
        browser, _token = _browser(app, world, audience)
        first, *rest = re.findall(r"<int:(\w+)>", rule)
        url = re.sub(rf"<int:{first}>", spelled(str(world["ids"].get(first, 1))), rule)
        url = _url(url, re.findall(r"<(?:\w+:)?(\w+)>", url), world["ids"])
        assert browser.get(url).status_code == 404, (endpoint, url)
        plain = _url(rule, re.findall(r"<(?:\w+:)?(\w+)>", rule), world["ids"])
        if endpoint != "editor.export_file":  # (the world made no export)
            assert browser.get(plain).status_code != 404, (endpoint, plain)  # the record is there


@pytest.mark.parametrize(("audience", "path"), [
    ("editor", "/editor/?roundtable={n}&page={n}"),
    ("editor", "/editor/quotes?roundtable={n}&theme={n}&page={n}"),
    ("editor", "/editor/themes?page={n}"),
    ("editor", "/editor/notices?page={n}"),
    ("facilitator", "/facilitator/moderation?roundtable={n}&page={n}"),
    ("admin", "/admin/audit?page={n}"),
    ("admin", "/admin/users?page={n}"),
    ("editor", "/editor/roundtables/{roundtable_id}/sensitive-words?quote={n}"),
])
def test_a_number_too_large_for_the_database_in_a_query_string_counts_as_absent(app, world, audience, path):
    browser, _token = _browser(app, world, (audience,))
    for number in (TOO_LARGE, str(2**31), "-1"):
        response = browser.get(path.format(n=number, **world["ids"]))
        assert response.status_code in (200, 302), (path, number, response.status_code)


def _get_calls():
    """Every ``something.get(...)`` call in the package's source, with where it is."""
    package = Path(roundtable.__file__).parent
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
                yield f"{source.relative_to(package.parent)}:{node.lineno}", node


def test_every_number_read_from_a_query_string_goes_through_number_arg():
    """``request.args.get(..., type=int)`` would pass 10**25 on to PostgreSQL, which raises instead of
    finding nothing; the checks above cover today's arguments, this one covers tomorrow's."""
    unchecked = [
        where for where, node in _get_calls() for keyword in node.keywords
        if keyword.arg == "type" and not (isinstance(keyword.value, ast.Name) and keyword.value.id == "number_arg")
    ]
    assert unchecked == [], f"use roundtable.numbers.number_arg as type= here: {', '.join(unchecked)}"


def _query_arguments_read_by_views() -> set[str]:
    """Every name a view reads with ``request.args.get("name")``, found in the source: tomorrow's too."""
    names = {
        node.args[0].value for _where, node in _get_calls()
        if isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "args"
        and node.args and isinstance(node.args[0], ast.Constant)
    }
    return names | {"since", "until"}  # the audit log reads these two through a helper, by a variable name


@pytest.mark.parametrize("value", ["\x00", "9999-12-31", "0001-01-01", "<script>" * 40, "\ufffd\u202e"])
def test_no_query_string_value_breaks_any_page(app, world, value):
    """A NUL byte reaches PostgreSQL as an error, and the last day of the calendar overflowed a date filter:
    every argument a view reads, set to such a value on every page it could be sent to, must not give a 500."""
    names = _query_arguments_read_by_views()
    assert {"page", "status", "language", "action", "actor", "since", "until"} <= names
    query = "&".join(f"{name}={quote_from_bytes(value.encode())}" for name in sorted(names))
    browsers = {}
    for rule in app.url_map.iter_rules():
        audience = audience_of(rule.endpoint)
        if "GET" not in rule.methods or rule.endpoint in ("static", "public.quick_exit"):
            continue
        if audience not in browsers:
            browsers[audience] = _browser(app, world, audience)[0]
        url = _url(rule.rule, rule.arguments, world["ids"])
        response = browsers[audience].get(f"{url}?{query}")
        assert response.status_code < 500, (url, value, response.status_code)


def test_raw_bytes_beyond_ascii_in_a_query_string_break_no_page(app, world):
    """gunicorn hands the query string over as it came; an invalid UTF-8 byte (or a Latin-1 "é") sent raw, not
    %-encoded, made every page and its error page a server error. Valid UTF-8 sent raw still reads as itself."""
    browsers = {}
    for rule in app.url_map.iter_rules():
        audience = audience_of(rule.endpoint)
        if "GET" not in rule.methods or rule.endpoint == "public.quick_exit":
            continue
        if audience not in browsers:
            browsers[audience] = _browser(app, world, audience)[0]
        url = _url(rule.rule, rule.arguments, world["ids"])
        if rule.endpoint == "static":
            url = "/static/roundtable.css"
        response = browsers[audience].get(url, environ_overrides={"QUERY_STRING": "x=\xff&page=\xe9&q=%41"})
        assert response.status_code < 500, (url, response.status_code)

    answer = app.test_client().get("/join", environ_overrides={"QUERY_STRING": "code=\xc3\xa9X&x=\xff"})
    assert 'value="éX"' in answer.get_data(as_text=True)


def _unreadable_bodies(token: str) -> dict[str, tuple[str, bytes]]:
    """Form bodies Werkzeug cannot read, each with a valid CSRF token: (content type, body)."""
    boundary = "RoundtableBoundary"
    token_part = f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'.encode()
    named = token_part + f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\xe9\"\r\n\r\n".encode("latin-1")
    multipart = f"multipart/form-data; boundary={boundary}"
    return {
        "raw byte in a field": ("application/x-www-form-urlencoded",
                                f"csrf_token={token}&username=edit\xe9r&text=Hear\xffus".encode("latin-1")),
        "raw byte in a multipart name": (multipart, named + f"Hear us\r\n--{boundary}--\r\n".encode()),
        "multipart without boundary": ("multipart/form-data", token_part + f"--{boundary}--\r\n".encode()),
        "multipart cut short": (multipart, token_part + f"--{boundary}\r\nContent-Disposition: form".encode()),
    }


def test_a_form_body_that_cannot_be_read_is_refused_as_unreadable_on_every_form(app, world):
    """Werkzeug read such a body as an empty form, and the token it then missed said the page was out of date
    because someone signed in or out in another tab: nobody had. Browsers %-encode; odd clients do not."""
    for endpoint, url, _fields, browser, token in _every_form(app, world):
        for shape, (content_type, body) in _unreadable_bodies(token).items():
            response = browser.post(url, data=body, content_type=content_type)
            html = response.get_data(as_text=True)
            assert response.status_code == 400, (endpoint, shape, response.status_code)
            assert "We could not read that form" in html or "Hindi namin mabasa ang form na iyon" in html, (endpoint,
                                                                                                          shape)
            assert "out of date" not in html and "Luma na ang pahinang ito" not in html, (endpoint, shape)


@pytest.mark.parametrize("language, said, not_said", [
    ("en", "We could not read that form", "This page is out of date"),
    ("fil", "Hindi namin mabasa ang form na iyon", "Luma na ang pahinang ito"),
])
def test_an_unreadable_form_is_said_so_in_the_readers_language(client, language, said, not_said):
    token = csrf_token_of(client.get("/login"))
    for content_type, body in _unreadable_bodies(token).values():
        html = client.post("/login", data=body, content_type=content_type,
                           headers={"Accept-Language": language}).get_data(as_text=True)
        assert said in html and not_said not in html


def test_raw_bytes_in_a_multipart_value_are_read_not_refused(client):
    """Werkzeug reads a multipart value with a replacement character: the form is used, the sign-in refused."""
    token = csrf_token_of(client.get("/login"))
    boundary = "RoundtableBoundary"
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
                    for name, value in (("csrf_token", token.encode()), ("username", b"edit\xe9r"),
                                        ("password", b"x"))) + f"--{boundary}--\r\n".encode()
    response = client.post("/login", data=body, content_type=f"multipart/form-data; boundary={boundary}",
                           headers={"Accept-Language": "en"})
    assert response.status_code == 200 and "We could not read that form" not in response.get_data(as_text=True)


def test_files_and_json_sent_to_any_form_in_place_of_its_fields_are_no_error(app, world):
    """No page uploads a file or sends JSON; sent by hand in place of a form's fields, they were handed to the
    fields as objects that are not text (a 500, with a traceback in the log)."""
    import io
    import json

    for endpoint, url, fields, browser, token in _every_form(app, world):
        tokens = {name: token for name in fields if name.endswith("csrf_token")}
        typed = [name for name in fields if not name.endswith("csrf_token")]
        files = {name: (io.BytesIO(b"The court should listen."), "words.txt") for name in typed}
        response = browser.post(url, data={**tokens, **files}, content_type="multipart/form-data")
        assert response.status_code < 500, (endpoint, "files", response.status_code)
        for body in ({name: 5 for name in typed}, {name: {"a": 1} for name in typed}, [1, 2, 3], "words"):
            response = browser.post(url, data=json.dumps(body), content_type="application/json",
                                    headers={"X-CSRFToken": token})
            assert response.status_code < 500, (endpoint, body, response.status_code)
