"""Chroma's OpenTelemetry exporter, imported when Chroma first builds one instead of at start.

``import chromadb`` imports the OTLP gRPC span exporter (grpc, protobuf, the OTel SDK:
0.25–0.5 s, a tenth of a one-shot ``python -m bot ask``) although Chroma only builds an
exporter when tracing is configured, which this bot never does. A stand-in module under the
exporter's name imports the real one the moment anything is taken from it.
"""

from __future__ import annotations

import importlib
import sys
import types

EXPORTER = "opentelemetry.exporter.otlp.proto.grpc.trace_exporter"


def _real_module() -> types.ModuleType:
    if isinstance(sys.modules.get(EXPORTER), _Deferred):
        del sys.modules[EXPORTER]
    return importlib.import_module(EXPORTER)


class _Deferred(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # import machinery probing a module, not a real use
            raise AttributeError(name)
        if name == "OTLPSpanExporter":
            # Chroma's telemetry module takes the class at import: hand it a factory.
            return _exporter
        return getattr(_real_module(), name)


def _exporter(*args: object, **kwargs: object) -> object:
    return _real_module().OTLPSpanExporter(*args, **kwargs)


def defer_exporter() -> None:
    """Put the stand-in in place unless the exporter was imported already."""
    sys.modules.setdefault(EXPORTER, _Deferred(EXPORTER))
