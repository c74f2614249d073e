"""The chat model behind written answers: LangChain's ``init_chat_model`` per provider."""

from __future__ import annotations

import importlib.util
import math
from typing import TYPE_CHECKING, Any

from bot.errors import BotError

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from bot.settings import LLMSettings


class LLMConfigError(BotError):
    """The LLM settings cannot give a chat model (unknown provider, missing package)."""


_PROVIDERS = {
    "openai": ("langchain_openai", "langchain-openai"),
    "ollama": ("langchain_ollama", "langchain-ollama"),
    "mistralai": ("langchain_mistralai", "langchain-mistralai"),
    "anthropic": ("langchain_anthropic", "langchain-anthropic"),
}
"""Supported LLM_PROVIDER values: the module init_chat_model imports and its package."""

MAX_RETRIES = 0
"""Retries of a failed model call: none, falling back at once beats keeping a worker waiting."""


def _module_available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def chat_model_kwargs(llm: LLMSettings) -> dict[str, Any]:
    """Keyword arguments of ``init_chat_model`` for the configured provider.

    Every provider gets the timeout, token limit and temperature under the name its
    LangChain class expects, and no retries.

    Args:
        llm: The LLM settings (provider other than none).

    Returns:
        The keyword arguments, without ``model`` and ``model_provider``.

    Raises:
        LLMConfigError: For an unknown provider.
    """
    provider = llm.llm_provider.strip().lower()
    key = llm.llm_api_key.get_secret_value() if llm.llm_api_key else None
    timeout = llm.llm_timeout_s
    if provider == "ollama":
        client: dict[str, Any] = {"timeout": timeout}
        if key:
            client["headers"] = {"Authorization": f"Bearer {key}"}
        kwargs = {
            "base_url": llm.llm_base_url, "client_kwargs": client, "format": "json",
            "num_predict": llm.llm_max_tokens, "temperature": llm.llm_temperature,
        }
    elif provider in ("openai", "mistralai", "anthropic"):
        if provider == "openai" and key is None and llm.llm_base_url:
            # Local OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) want no key, but
            # the OpenAI client refuses to start without one.
            key = "unused"
        if provider == "mistralai":
            timeout = max(1, math.ceil(timeout))  # ChatMistralAI takes whole seconds
        kwargs = {
            "base_url": llm.llm_base_url, "api_key": key, "timeout": timeout,
            "max_retries": MAX_RETRIES, "max_tokens": llm.llm_max_tokens,
            "temperature": llm.llm_temperature,
        }
    else:
        supported = ", ".join(["none", *_PROVIDERS])
        raise LLMConfigError(f"LLM_PROVIDER={llm.llm_provider!r} is not one of {supported}.")
    return {k: v for k, v in kwargs.items() if v is not None}


def make_chat_model(llm: LLMSettings) -> BaseChatModel:
    """The LangChain chat model of the settings, imported only now.

    Args:
        llm: The LLM settings (provider other than none).

    Returns:
        The chat model.

    Raises:
        LLMConfigError: Unknown provider, no model name, or the provider's package is
            not installed (the message names what to install).
    """
    provider = llm.llm_provider.strip().lower()
    kwargs = chat_model_kwargs(llm)
    if not llm.llm_model.strip():
        raise LLMConfigError(f"LLM_PROVIDER={provider} needs LLM_MODEL, the model name.")
    module, package = _PROVIDERS[provider]
    if not _module_available(module):
        hint = "pip install '.[llm]'" if provider == "openai" else f"pip install {package}"
        raise LLMConfigError(
            f"LLM_PROVIDER={provider} needs the Python package {package}, which is not "
            f"installed. Install it with: {hint}"
        )
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(llm.llm_model.strip(), model_provider=provider, **kwargs)
    except Exception as exc:
        message = str(exc)
        if llm.llm_api_key and llm.llm_api_key.get_secret_value():
            message = message.replace(llm.llm_api_key.get_secret_value(), "**********")
        raise LLMConfigError(
            f"LLM_PROVIDER={provider}: cannot set up the model: {message}"
        ) from exc



def failure_reason(exc: BaseException) -> str:
    """A short reason for a failed model call (class names only: messages may quote data)."""
    from langchain_core import exceptions as lc

    # langchain-core 1.x maps provider errors to shared classes; integrations that do
    # not yet (and bare httpx or asyncio timeouts) are recognised by class and name.
    kinds = (
        (lc.ModelTimeoutError, "timeout"),
        (lc.ModelRateLimitError, "rate limited"),
        (lc.ModelAPIError, "server error"),
        (lc.ModelConnectionError, "unreachable"),
        (lc.ModelAuthenticationError, "authentication failed"),
        (lc.ModelPermissionDeniedError, "authentication failed"),
        (lc.ModelNotFoundError, "model not found"),
        (lc.ContextOverflowError, "prompt too long"),
        (lc.ModelInvalidRequestError, "request rejected"),
    )
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        for kind, reason in kinds:
            if isinstance(seen, kind):
                return reason
        if isinstance(seen, TimeoutError) or "timeout" in type(seen).__name__.lower():
            return "timeout"
        seen = seen.__cause__ or seen.__context__
    # The class name only: provider error messages can quote the request.
    return f"model error ({type(exc).__name__})"
