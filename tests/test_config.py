"""Configuration: safe development defaults, and a production mode that refuses to guess."""

import pytest

from roundtable import config
from tests.conftest import PRODUCTION_ENV

PRODUCTION = PRODUCTION_ENV


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ROUNDTABLE_ENCRYPTION_KEYS", "ROUNDTABLE_LOOKUP_KEY"])
def test_production_refuses_to_start_without_each_required_setting(tmp_path, missing):
    environ = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(config.ConfigurationError, match=missing):
        config.load(tmp_path, environ)


@pytest.mark.parametrize("weak", ["dev", "changeme", "short-secret", "_" * 40, "ab" * 24])
def test_production_refuses_a_weak_secret_key(tmp_path, weak):
    with pytest.raises(config.ConfigurationError, match="SECRET_KEY"):
        config.load(tmp_path, {**PRODUCTION, "SECRET_KEY": weak})


def test_production_takes_everything_from_the_environment(tmp_path):
    settings = config.load(tmp_path, PRODUCTION)
    assert settings["DATABASE_URL"] == PRODUCTION["DATABASE_URL"]
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "keys.json").exists()


def test_development_generates_its_keys_once_under_instance(tmp_path):
    first = config.load(tmp_path, {})
    second = config.load(tmp_path, {})
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["ENCRYPTION_KEYS"] == second["ENCRYPTION_KEYS"]
    assert first["DATABASE_URL"] == f"sqlite:///{tmp_path / 'roundtable.db'}"
    assert (tmp_path / "keys.json").stat().st_mode & 0o777 == 0o600


def test_statement_timeout_defaults_below_gunicorns_worker_timeout_and_can_be_set(tmp_path):
    assert config.load(tmp_path, PRODUCTION)["DATABASE_STATEMENT_TIMEOUT"] == 30
    settings = config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_STATEMENT_TIMEOUT_SECONDS": "2.5"})
    assert settings["DATABASE_STATEMENT_TIMEOUT"] == 2.5
    assert config.load(tmp_path, {"ROUNDTABLE_STATEMENT_TIMEOUT_SECONDS": "0"})["DATABASE_STATEMENT_TIMEOUT"] == 0


@pytest.mark.parametrize("value", ["thirty", "-1", "nan", "inf", "1e10"])
def test_a_statement_timeout_that_is_not_a_number_of_seconds_is_refused(tmp_path, value):
    with pytest.raises(config.ConfigurationError, match="ROUNDTABLE_STATEMENT_TIMEOUT_SECONDS"):
        config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_STATEMENT_TIMEOUT_SECONDS": value})


def test_the_organisations_time_zone_is_manila_unless_set(tmp_path):
    assert config.load(tmp_path, {})["TIME_ZONE"] == "Asia/Manila"
    assert config.load(tmp_path, {"ROUNDTABLE_TIME_ZONE": " Asia/Dubai "})["TIME_ZONE"] == "Asia/Dubai"
    assert config.load(tmp_path, {"ROUNDTABLE_TIME_ZONE": "  "})["TIME_ZONE"] == "Asia/Manila"  # like other empties


@pytest.mark.parametrize("value", ["Manila", "Asia/Nowhere", "+08:00"])
def test_a_time_zone_that_is_not_in_the_iana_database_is_refused(tmp_path, value):
    with pytest.raises(config.ConfigurationError, match="ROUNDTABLE_TIME_ZONE"):
        config.load(tmp_path, {"ROUNDTABLE_TIME_ZONE": value})


@pytest.mark.parametrize("keys", ["not-a-key", "A" * 43 + "=,short"])
def test_an_encryption_key_that_is_not_a_fernet_key_is_refused_by_name(tmp_path, keys):
    with pytest.raises(config.ConfigurationError, match="ROUNDTABLE_ENCRYPTION_KEYS: key"):
        config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_ENCRYPTION_KEYS": keys})


NEW_KEY, OLD_KEY = "N" * 42 + "w=", "o" * 42 + "d="


@pytest.mark.parametrize("keys, wrong", [
    (f"{NEW_KEY} {OLD_KEY}", "key 1 of 1"),  # written the natural way: Fernet read it as NEW alone
    (f"{NEW_KEY};{OLD_KEY}", "key 1 of 1"),
    (f"{NEW_KEY}\t{OLD_KEY}", "key 1 of 1"),
    (f"{NEW_KEY}={OLD_KEY}", "key 1 of 1"),
    (f"{NEW_KEY},{OLD_KEY} {NEW_KEY}", "key 2 of 2"),
    (f"{NEW_KEY},{OLD_KEY}==", "key 2 of 2"),
    (f"{OLD_KEY[:-1]}", "key 1 of 1"),
    (f"{NEW_KEY[:-2]}+=", "key 1 of 1"),  # standard base64: Fernet's keys are url-safe
])
def test_encryption_keys_separated_by_anything_but_a_comma_are_refused_naming_the_key(tmp_path, keys, wrong):
    """Fernet decodes a key leniently, so the second of two keys written with a space or ";" between them was
    dropped without a word: text under it could no longer be read, and rotate-keys asked for a key already there."""
    with pytest.raises(config.ConfigurationError) as refused:
        config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_ENCRYPTION_KEYS": keys})
    assert refused.value.format_message() == (
        f"ROUNDTABLE_ENCRYPTION_KEYS: {wrong} is not a Fernet key (44 characters of url-safe base64, the last one =); "
        "keys are separated by commas. docs/deploy.md shows how to make one.")


def test_encryption_keys_as_fernet_makes_them_are_taken(tmp_path):
    from cryptography.fernet import Fernet

    keys = [Fernet.generate_key().decode() for _ in range(3)]
    assert config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_ENCRYPTION_KEYS": ",".join(keys)})["ENCRYPTION_KEYS"] == keys
    assert config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_ENCRYPTION_KEYS": f"{NEW_KEY}, {OLD_KEY}"}
                       )["ENCRYPTION_KEYS"] == [NEW_KEY, OLD_KEY]


def test_support_contacts_are_read_as_documented_and_anything_else_is_refused_by_name(tmp_path):
    one = '[{"name_en": "Our social worker", "name_fil": "Ang aming social worker", "contact": "0917 000 0000"}]'
    assert config.load(tmp_path, {"ROUNDTABLE_SUPPORT_CONTACTS": one})["SUPPORT_CONTACTS"][0]["contact"] == "0917 000 0000"
    assert config.load(tmp_path, {"ROUNDTABLE_SUPPORT_CONTACTS": " "})["SUPPORT_CONTACTS"] == []
    for value in ('[{name:Line,phone:1}]',  # what a shell leaves of unquoted JSON
                  '[{"name": "Line", "phone": "1"}]',  # the fields an older example used: they showed nothing
                  '{"name_en": "x", "contact": "1"}', '[{"name_en": "x"}]'):
        with pytest.raises(config.ConfigurationError, match="ROUNDTABLE_SUPPORT_CONTACTS"):
            config.load(tmp_path, {"ROUNDTABLE_SUPPORT_CONTACTS": value})


@pytest.mark.parametrize("name", ["ROUNDTABLE_STAFF_IDLE_MINUTES", "ROUNDTABLE_PARTICIPANT_IDLE_MINUTES",
                                  "ROUNDTABLE_STAFF_CONFIRM_MINUTES", "ROUNDTABLE_PROXY_FIX_HOPS"])
def test_a_number_setting_that_is_no_whole_number_is_refused_by_name(tmp_path, name):
    with pytest.raises(config.ConfigurationError, match=name):
        config.load(tmp_path, {name: "abc"})
    assert config.load(tmp_path, {name: ""})  # empty: the default


@pytest.mark.parametrize("value", ["Production", "prod", "staging"])
def test_an_environment_that_is_neither_production_nor_development_is_refused(tmp_path, value):
    with pytest.raises(config.ConfigurationError, match="ROUNDTABLE_ENV must be production or development"):
        config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_ENV": value})


def test_roles_that_must_use_a_second_factor_default_when_empty_and_must_exist(tmp_path):
    assert config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_TWO_FACTOR_REQUIRED_ROLES": " "})[
        "TWO_FACTOR_REQUIRED_ROLES"] == ("admin", "editor")
    assert config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_TWO_FACTOR_REQUIRED_ROLES": "admin,editor,facilitator"})[
        "TWO_FACTOR_REQUIRED_ROLES"] == ("admin", "editor", "facilitator")
    with pytest.raises(config.ConfigurationError, match="roles that do not exist: admins, editors"):
        config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_TWO_FACTOR_REQUIRED_ROLES": "admins,editors"})


@pytest.mark.parametrize("url", ["postgres://roundtable:pw@db.internal/roundtable",
                                 "postgresql://roundtable:pw@db.internal/roundtable"])
def test_a_postgresql_url_without_the_driver_is_read_as_psycopg(tmp_path, url):
    settings = config.load(tmp_path, {**PRODUCTION, "DATABASE_URL": url})
    assert settings["DATABASE_URL"] == "postgresql+psycopg://roundtable:pw@db.internal/roundtable"


@pytest.mark.parametrize("url", ["notaurl", "mysql://roundtable:pw@db.internal/roundtable",
                                 "postgresql+psycopg2://roundtable:pw@db.internal/roundtable",
                                 "postgresql+psycopg://roundtable:pw@db.internal:fivefour/roundtable",
                                 "sqlite://roundtable.db"])
def test_a_database_url_of_another_form_is_refused_saying_the_form_expected(tmp_path, url):
    with pytest.raises(config.ConfigurationError, match=r"DATABASE_URL must start with postgresql\+psycopg:// or "
                                                        r"sqlite:///") as refused:
        config.load(tmp_path, {**PRODUCTION, "DATABASE_URL": url})
    assert "pw" not in str(refused.value), "the message never repeats the URL and its password"


@pytest.mark.parametrize("url", ["postgresql+psycopg://roundtable:s3cr@t@db/roundtable",
                                 "postgresql+psycopg://roundtable:s3cr@ss/w%rd@127.0.0.1:5432/roundtable"])
def test_a_password_with_an_unencoded_at_sign_is_refused_without_showing_it(tmp_path, url):
    with pytest.raises(config.ConfigurationError, match="percent-encode the password") as refused:
        config.load(tmp_path, {**PRODUCTION, "DATABASE_URL": url})
    assert "s3cr" not in str(refused.value) and "ss" not in str(refused.value).replace("password", "")


@pytest.mark.parametrize("keys", [", ,", ","])
def test_encryption_keys_that_are_only_commas_are_refused_as_holding_no_key(tmp_path, keys):
    with pytest.raises(config.ConfigurationError, match="ROUNDTABLE_ENCRYPTION_KEYS holds no key"):
        config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_ENCRYPTION_KEYS": keys})


def test_spaces_around_encryption_keys_are_ignored(tmp_path):
    key = PRODUCTION["ROUNDTABLE_ENCRYPTION_KEYS"]
    assert config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_ENCRYPTION_KEYS": f" {key} , "})["ENCRYPTION_KEYS"] == [key]
    assert config.load(tmp_path, {"ROUNDTABLE_ENCRYPTION_KEYS": f"{key}, {key}"})["ENCRYPTION_KEYS"] == [key, key]


def test_rate_limit_storage_is_redis_or_memory(tmp_path):
    assert config.load(tmp_path, PRODUCTION)["RATELIMIT_STORAGE_URI"] == "memory://"
    for uri in ("redis://127.0.0.1:6379/0", "rediss://:pw@redis.internal:6380/0", "memory://"):
        assert config.load(tmp_path, {**PRODUCTION, "RATELIMIT_STORAGE_URI": uri})["RATELIMIT_STORAGE_URI"] == uri


@pytest.mark.parametrize("uri", ["redis//127.0.0.1:6379", "127.0.0.1:6379", "redis://:pw@127.0.0.1:sixthree/0",
                                 "memory", "memcached://127.0.0.1:11211"])
def test_a_malformed_rate_limit_storage_is_refused_saying_the_form_expected(tmp_path, uri):
    with pytest.raises(config.ConfigurationError, match="RATELIMIT_STORAGE_URI must be redis://HOST:PORT/DB") as no:
        config.load(tmp_path, {**PRODUCTION, "RATELIMIT_STORAGE_URI": uri})
    assert "pw" not in str(no.value)


def test_the_quick_exit_leaves_for_a_full_https_address(tmp_path):
    assert config.load(tmp_path, PRODUCTION)["QUICK_EXIT_URL"] == "https://www.pagasa.dost.gov.ph/weather"
    url = "https://www.example.org/news?today=1"
    assert config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_QUICK_EXIT_URL": url})["QUICK_EXIT_URL"] == url
    local = "http://127.0.0.1:8001/"  # a neutral site of one's own while trying Roundtable out
    assert config.load(tmp_path, {"ROUNDTABLE_QUICK_EXIT_URL": local})["QUICK_EXIT_URL"] == local


@pytest.mark.parametrize("url", ["www.example.org", "/weather", "javascript:alert(1)", "https://", "ftp://example.org",
                                 "http://www.example.org", "https://www.example.org/\r\nSet-Cookie: x=1"])
def test_a_quick_exit_address_that_would_not_leave_roundtable_is_refused(tmp_path, url):
    with pytest.raises(config.ConfigurationError, match="ROUNDTABLE_QUICK_EXIT_URL must be a full https:// address"):
        config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_QUICK_EXIT_URL": url})


def test_rate_limits_turned_off_in_production_are_warned_about(tmp_path, caplog):
    assert config.load(tmp_path, {**PRODUCTION, "RATELIMIT_ENABLED": "false"})["RATELIMIT_ENABLED"] is False
    assert "RATELIMIT_ENABLED is off" in caplog.text and "Never in production" in caplog.text
    assert config.load(tmp_path, {**PRODUCTION, "RATELIMIT_ENABLED": "true"})["RATELIMIT_ENABLED"] is True
    assert config.load(tmp_path, {"RATELIMIT_ENABLED": "false"})["RATELIMIT_ENABLED"] is False  # the local scan


@pytest.mark.parametrize("name", ["RATELIMIT_ENABLED", "ROUNDTABLE_DEMO_WITHOUT_TWO_FACTOR"])
def test_a_mistyped_on_off_setting_stops_the_start_instead_of_counting_as_off(tmp_path, name):
    with pytest.raises(config.ConfigurationError, match=f"{name} must be true or false \\(not 'ture'\\)"):
        config.load(tmp_path, {name: " ture "})
    assert config.load(tmp_path, {"RATELIMIT_ENABLED": " On "})["RATELIMIT_ENABLED"] is True
    assert config.load(tmp_path, {"RATELIMIT_ENABLED": "0"})["RATELIMIT_ENABLED"] is False
    assert config.load(tmp_path, {"RATELIMIT_ENABLED": ""})["RATELIMIT_ENABLED"] is True, "empty is the default"


def test_the_default_language_is_filipino_or_english_and_nothing_else(tmp_path):
    assert config.load(tmp_path, {})["BABEL_DEFAULT_LOCALE"] == "fil"
    assert config.load(tmp_path, {"ROUNDTABLE_DEFAULT_LOCALE": "en"})["BABEL_DEFAULT_LOCALE"] == "en"
    for environ in ({"ROUNDTABLE_DEFAULT_LOCALE": "tl"}, {**PRODUCTION, "ROUNDTABLE_DEFAULT_LOCALE": "es"}):
        with pytest.raises(config.ConfigurationError, match="ROUNDTABLE_DEFAULT_LOCALE must be fil or en"):
            config.load(tmp_path, environ)


def test_production_keeps_the_second_factor_of_admins_and_editors(tmp_path):
    with pytest.raises(config.ConfigurationError, match="must keep admin and editor in production"):
        config.load(tmp_path, {**PRODUCTION, "ROUNDTABLE_TWO_FACTOR_REQUIRED_ROLES": "facilitator"})
    assert config.load(tmp_path, {"ROUNDTABLE_TWO_FACTOR_REQUIRED_ROLES": "facilitator"})[
        "TWO_FACTOR_REQUIRED_ROLES"] == ("facilitator",), "a development machine may try it out"


@pytest.mark.parametrize("debug", ["1", "true", "yes"])
def test_production_refuses_flasks_debugger(tmp_path, debug):
    with pytest.raises(config.ConfigurationError, match="FLASK_DEBUG is on"):
        config.load(tmp_path, {**PRODUCTION, "FLASK_DEBUG": debug})
    assert config.load(tmp_path, {**PRODUCTION, "FLASK_DEBUG": "0"})


@pytest.mark.parametrize(("url", "said"), [
    ("sqlite://", "in-memory"), ("sqlite:///:memory:", "in-memory"), ("sqlite:///roundtable.db", "full path"),
])
def test_production_refuses_a_sqlite_database_that_would_not_last_or_moves_with_the_folder(tmp_path, url, said):
    with pytest.raises(config.ConfigurationError, match=said):
        config.load(tmp_path, {**PRODUCTION, "DATABASE_URL": url})
    assert config.load(tmp_path, {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/roundtable.db"})


@pytest.mark.parametrize("uri", ["redis://127.0.0.1:6379/notadb", "redis://127.0.0.1:6379?db=x",
                                 "redis://127.0.0.1:6379/6?db=0", "redis+unix:///tmp/redis.sock?db=abc"])
def test_a_redis_database_that_is_not_one_number_is_refused(tmp_path, uri):
    """Redis would read it as database 0, shared with whatever else uses it, without a word (or fail with a
    traceback at the first request)."""
    with pytest.raises(config.ConfigurationError, match="RATELIMIT_STORAGE_URI"):
        config.load(tmp_path, {**PRODUCTION, "RATELIMIT_STORAGE_URI": uri})


@pytest.mark.parametrize("uri", ["redis://127.0.0.1:6379/4", "redis://127.0.0.1:6379", "redis://127.0.0.1:6379?db=4",
                                 "redis+unix:///tmp/redis.sock?db=2"])
def test_a_redis_database_given_once_as_a_number_is_taken(tmp_path, uri):
    assert config.load(tmp_path, {**PRODUCTION, "RATELIMIT_STORAGE_URI": uri})["RATELIMIT_STORAGE_URI"] == uri


@pytest.mark.parametrize(("name", "near"), [
    ("RATELIMIT_STORAGE_URL", "RATELIMIT_STORAGE_URI"), ("ROUNDTABLE_PROXY_FIX_HOP", "ROUNDTABLE_PROXY_FIX_HOPS"),
    ("ROUNDTABLE_TIMEZONE", "ROUNDTABLE_TIME_ZONE"), ("GUNICORN_WORKER", "GUNICORN_WORKERS"),
    # The two read without a prefix, given one (QA r6 2): not "ROUNDTABLE_QUICK_EXIT_URL", "ROUNDTABLE_ENCRYPTION_KEYS".
    ("ROUNDTABLE_DATABASE_URL", "DATABASE_URL"), ("ROUNDTABLE_SECRET_KEY", "SECRET_KEY"),
])
def test_production_refuses_a_misspelled_setting_and_names_the_one_meant(tmp_path, name, near):
    with pytest.raises(config.ConfigurationError, match=f"{name} is not a setting Roundtable reads.*Did you mean {near}"):
        config.load(tmp_path, {**PRODUCTION, name: "x"})


def test_every_setting_the_code_reads_is_known():
    """A setting added to the code (or to gunicorn.conf.py) and not to the list would stop production starting."""
    import re
    from pathlib import Path

    root = Path(config.__file__).resolve().parent.parent
    read = set()
    for source in [*(root / "roundtable").rglob("*.py"), root / "gunicorn.conf.py"]:
        read |= set(re.findall(r"\b((?:ROUNDTABLE|RATELIMIT|GUNICORN)_[A-Z_]+)\b", source.read_text()))
    mentioned_as_settings = {name for name in read if not name.startswith("RATELIMIT_") or name in {
        "RATELIMIT_ENABLED", "RATELIMIT_STORAGE_URI"}}  # the other RATELIMIT_ names are Flask-Limiter's own keys
    assert mentioned_as_settings <= config.KNOWN_SETTINGS, mentioned_as_settings - config.KNOWN_SETTINGS


def test_installed_apart_from_its_folders_it_refuses_to_start_and_says_where_to_run_it(tmp_path, monkeypatch):
    """A plain `pip install .` run from another folder: every page would fail on a missing template."""
    import roundtable

    monkeypatch.setattr(roundtable, "ROOT", tmp_path)

    with pytest.raises(config.ConfigurationError, match="Run it from its app folder"):
        roundtable.create_app()
