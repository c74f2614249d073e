"""Settings: `.env.example` documents every field, and the environment is read as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import BotSettings, LLMSettings
from tests.conftest import REPO

ENV_EXAMPLE = REPO / ".env.example"
FIELDS = {**BotSettings.model_fields, **LLMSettings.model_fields}


def example_lines() -> list[str]:
    return ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()


@pytest.fixture()
def clean_env(monkeypatch) -> None:
    """No setting from the environment of the test run (names are case-insensitive)."""
    for name in FIELDS:
        monkeypatch.delenv(name.upper(), raising=False)
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_every_field_is_in_env_example_with_a_comment(name: str) -> None:
    lines = example_lines()
    pattern = re.compile(rf"^(# )?{name.upper()}=")
    found = [i for i, line in enumerate(lines) if pattern.match(line)]
    assert len(found) == 1, f"{name.upper()}= should appear once in .env.example"
    above = lines[found[0] - 1] if found[0] else ""
    assert above.startswith("# ") and "=" not in above.split()[1], (
        f"{name.upper()} in .env.example is not preceded by a comment line"
    )
    assert above == f"# {FIELDS[name].description}", f"comment of {name.upper()} is outdated"


def test_env_example_names_only_real_fields() -> None:
    names = {m.group(2).lower() for line in example_lines()
             if (m := re.match(r"^(# )?([A-Z][A-Z0-9_]*)=", line))}
    assert names == set(FIELDS)


def test_env_example_values_are_the_defaults(clean_env) -> None:
    assert BotSettings(_env_file=ENV_EXAMPLE) == BotSettings(_env_file=None)
    assert LLMSettings(_env_file=ENV_EXAMPLE) == LLMSettings(_env_file=None)


def test_defaults(clean_env) -> None:
    settings = BotSettings(_env_file=None)
    assert settings.knowledge_dir == Path("knowledge")
    assert settings.chroma_path == Path("data/chroma")
    assert settings.chroma_host is None and settings.chroma_port == 8000
    assert settings.embedding_backend == "use"
    assert settings.telegram_bot_token is None and settings.admin_user_ids == []
    assert LLMSettings(_env_file=None).llm_provider == "none"


def test_settings_read_from_environment(clean_env, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "kb"))
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "db"))
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", "8123")
    monkeypatch.setenv("EMBEDDING_BACKEND", "e5")
    monkeypatch.setenv("ADMIN_USER_IDS", "[7, 42]")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:xyzzy-token")
    monkeypatch.setenv("LLM_TIMEOUT_S", "3.5")
    settings = BotSettings(_env_file=None)
    assert settings.knowledge_dir == tmp_path / "kb"
    assert settings.chroma_path == tmp_path / "db"
    assert (settings.chroma_host, settings.chroma_port) == ("127.0.0.1", 8123)
    assert settings.embedding_backend == "e5"
    assert settings.admin_user_ids == [7, 42]
    assert settings.telegram_bot_token.get_secret_value() == "123:xyzzy-token"
    assert "xyzzy" not in repr(settings)
    assert LLMSettings(_env_file=None).llm_timeout_s == 3.5
