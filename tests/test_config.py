"""Configuration: safe development defaults, and a production mode that refuses to guess."""

import pytest

from roundtable import config

PRODUCTION = {
    "ROUNDTABLE_ENV": "production",
    "SECRET_KEY": "x" * 48,
    "DATABASE_URL": "postgresql+psycopg://db.internal/roundtable",
    "ROUNDTABLE_ENCRYPTION_KEYS": "A" * 43 + "=",
    "ROUNDTABLE_LOOKUP_KEY": "lookup-key-for-tests-only",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ROUNDTABLE_ENCRYPTION_KEYS", "ROUNDTABLE_LOOKUP_KEY"])
def test_production_refuses_to_start_without_each_required_setting(tmp_path, missing):
    environ = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(config.ConfigurationError, match=missing):
        config.load(tmp_path, environ)


@pytest.mark.parametrize("weak", ["dev", "changeme", "short-secret"])
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


@pytest.mark.parametrize("value", ["thirty", "-1", "nan", "inf"])
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
