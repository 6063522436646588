"""No words reach a reader without passing through translation.

Templates: text between tags and the attributes people read or hear (placeholder, aria-label, title,
alt, value of a button) must come from ``{{ _("...") }}``. Python: what goes to ``flash()``, to a
``RuleViolation`` (and its kinds), to a ``ValidationError``, a validator's ``message=`` and a form
field's label must be a ``_()``/``_l()``/``gettext``/``lazy_gettext`` call, never a bare literal.
The only words allowed bare are not translatable: the product's name and the language switch's
autonyms ("Filipino", "English"), which are written in their own language on purpose.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
PYTHON = sorted((ROOT / "roundtable").rglob("*.py"))

ALLOWED = {"Roundtable", "Filipino", "English"}
READ_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt", "aria-description", "aria-roledescription"}
TRANSLATORS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "npgettext"}
MESSAGE_CALLS = {"flash", "RuleViolation", "NotFound", "Conflict", "ValidationError", "StopValidation"}

JINJA = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")


def untranslated_words(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if word not in ALLOWED]


class _TemplateReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        attributes = dict(attrs)
        for name, value in attrs:
            readable = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and attributes.get("type") in ("submit", "button", "reset")
            )
            if readable and value and untranslated_words(value):
                self.found.append(f'<{tag} {name}="{value.strip()}">')

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and untranslated_words(data):
            self.found.append(data.strip())


def template_findings(source: str) -> list[str]:
    reader = _TemplateReader()
    source = re.sub(r"<\{\{.*?\}\}", "<x", source)  # a tag whose name is computed: <{{ tag }} ...>
    reader.feed(JINJA.sub(" ", source))
    reader.close()
    return reader.found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_template_text_is_marked_for_translation(template):
    assert template_findings(template.read_text(encoding="utf-8")) == []


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _bare_text(node: ast.AST | None) -> bool:
    """A literal (or f-string, or concatenation with one) containing words, not wrapped in a translation call."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(untranslated_words(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_bare_text(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _bare_text(node.left) or _bare_text(node.right)
    if isinstance(node, ast.Call) and _name(node.func) in TRANSLATORS:
        return False
    return False


def python_findings(source: str, filename: str = "<source>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        called = _name(node.func)
        checked: list[ast.AST] = []
        if called in MESSAGE_CALLS and node.args:
            checked.append(node.args[0])
        if called.endswith("Field") and node.args:
            checked.append(node.args[0])  # the label
        checked += [kw.value for kw in node.keywords if kw.arg in ("message", "label", "description")]
        if called.endswith("Field"):
            for kw in node.keywords:
                if kw.arg == "choices" and isinstance(kw.value, (ast.List, ast.Tuple)):
                    for choice in kw.value.elts:
                        if isinstance(choice, ast.Tuple) and len(choice.elts) == 2:
                            value, label = choice.elts
                            # ("open", "open"): a machine value that is never shown as a label
                            # (the template renders its own translated buttons).
                            if not (isinstance(value, ast.Constant) and ast.dump(value) == ast.dump(label)):
                                checked.append(label)
        found += [f"{filename}:{n.lineno}: {ast.unparse(n)}" for n in checked if _bare_text(n)]
    return found


@pytest.mark.parametrize("module", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_user_facing_python_strings_are_marked_for_translation(module):
    assert python_findings(module.read_text(encoding="utf-8"), str(module.relative_to(ROOT))) == []


# --- the checks themselves catch what they should -------------------------------------------

def test_the_template_check_finds_bare_text_and_readable_attributes():
    source = '<p>Hello there</p><input placeholder="Your name"><img alt="A photo" src="x">' \
             '<input type="submit" value="Send it"><button type="submit" value="release">{{ _("Send") }}</button>'
    assert template_findings(source) == [
        "Hello there", '<input placeholder="Your name">', '<img alt="A photo">', '<input value="Send it">',
    ]


def test_the_template_check_accepts_translated_text_autonyms_and_punctuation():
    source = (
        '{% trans %}Kept as one sentence{% endtrans %}<a href="/">Roundtable</a> · '
        '<span lang="fil">Filipino</span> / English <p title="{{ _(\'Help\') }}">{{ _("Hello") }}: {{ n }}</p>'
        '<script src="/x.js"></script>{# a note for developers #}'
        '<{{ tag }}{% if lang %} lang="{{ lang }}"{% endif %}>{{ text }}</{{ tag }}>'
    )
    assert template_findings(source) == []


def test_the_python_check_finds_bare_messages_and_labels():
    source = (
        'flash("Saved.")\n'
        'raise RuleViolation(f"No {thing} here")\n'
        'InputRequired(message="Fill it in")\n'
        'name = StringField("Your name")\n'
        'flash(_("Saved."))\n'
        'raise RuleViolation(_l("No such thing"))\n'
        'flash(str(problem), "error")\n'
        'kind = RadioField(_l("Kind"), choices=[("a", _l("First")), ("b", "Second")])\n'
    )
    found = python_findings(source)
    assert [line.split(": ", 1)[1] for line in found] == [
        "'Saved.'", "f'No {thing} here'", "'Fill it in'", "'Your name'", "'Second'",
    ]
