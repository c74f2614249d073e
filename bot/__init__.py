"""Cited answers on the protection of victims of trafficking (BE, NL, LU)."""

from bot.index.chroma_tracing import defer_exporter

defer_exporter()
