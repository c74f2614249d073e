"""Hostile knowledge input: YAML alias bombs, oversized YAML, FIFOs and devices."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import yaml

from bot.errors import KnowledgeError
from bot.knowledge.bounded_yaml import YamlLimits, YamlTooBig, load_bounded
from bot.knowledge.documents import load_document, load_knowledge
from bot.knowledge.fetch import load_manifest
from bot.retrieval.glossary import Glossary
from tests.test_documents import front_matter, write, write_sidecar

# 1.3 KB that PyYAML parses at once and that expands to 9^9 values when walked.
ALIAS_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(8)
    ]
)


def bomb_front_matter() -> str:
    return front_matter().rstrip("-\n") + "\n" + ALIAS_BOMB + "\n---\nBody text.\n"


def test_alias_bomb_in_front_matter_is_refused_naming_the_file(tmp_path: Path) -> None:
    assert len(ALIAS_BOMB) < 1400
    path = write(tmp_path / "bomb.fr.md", bomb_front_matter())
    with pytest.raises(KnowledgeError, match="expands to more than") as info:
        load_document(path)
    assert "bomb.fr.md" in str(info.value)


def test_alias_bomb_in_sidecar_glossary_and_manifest(tmp_path: Path) -> None:
    pdf = tmp_path / "loi.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    write_sidecar(pdf)
    sidecar = pdf.with_name("loi.pdf.meta.yaml")
    sidecar.write_text(sidecar.read_text() + ALIAS_BOMB + "\n")
    with pytest.raises(KnowledgeError, match="loi.pdf.meta.yaml.*expands"):
        load_document(pdf)

    (tmp_path / "glossary.yaml").write_text("families: []\n" + ALIAS_BOMB + "\n")
    with pytest.raises(KnowledgeError, match="glossary.yaml.*expands"):
        Glossary.load(tmp_path)

    manifest = write(tmp_path / "sources.yaml", "sources: []\n" + ALIAS_BOMB + "\n")
    with pytest.raises(KnowledgeError, match="sources.yaml.*expands"):
        load_manifest(manifest)


def test_oversized_and_self_referring_yaml_are_refused() -> None:
    limits = YamlLimits(max_bytes=100, max_values=50)
    with pytest.raises(YamlTooBig, match="too large"):
        load_bounded("a: " + "x" * 200, yaml.SafeLoader, limits)
    with pytest.raises(YamlTooBig, match="refers to itself"):
        load_bounded("a: &a [*a]", yaml.SafeLoader, limits)
    with pytest.raises(YamlTooBig, match="nested too deeply"):
        load_bounded("[" * 5000 + "]" * 5000, yaml.SafeLoader, YamlLimits(20_000, 20_000))
    shared = "a: &a [1, 2]\nb: *a\nc: *a\n"  # ordinary sharing within the limits is fine
    assert load_bounded(shared, yaml.SafeLoader, limits) == {"a": [1, 2], "b": [1, 2],
                                                              "c": [1, 2]}


def test_fifo_in_knowledge_folder_is_skipped_and_named_never_read(tmp_path, caplog) -> None:
    write(tmp_path / "good.fr.md", front_matter() + "Texte.\n")
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)

    def feed() -> None:  # blocks until someone opens the FIFO for reading
        with open(fifo, "w") as writer:
            writer.write("not: [front matter")

    # A load that opened and read the FIFO would get this text and fail on it instead of
    # hanging, so the test needs no timeout.
    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    documents = load_knowledge(tmp_path)
    assert [d.meta.id for d in documents] == ["be-test-doc"]
    assert "x.md" in caplog.text and "not a regular file" in caplog.text
    release = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    feeder.join()
    os.close(release)


def test_fifo_or_device_as_metadata_is_refused_by_name(tmp_path: Path) -> None:
    pdf = tmp_path / "loi.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    os.mkfifo(pdf.with_name("loi.pdf.meta.yaml"))
    with pytest.raises(KnowledgeError, match="loi.pdf.meta.yaml.*not a regular file"):
        load_document(pdf)
    os.mkfifo(tmp_path / "glossary.yaml")
    with pytest.raises(KnowledgeError, match="glossary.yaml.*not a regular file"):
        Glossary.load(tmp_path)
    with pytest.raises(KnowledgeError, match="null.*not a regular file"):
        load_manifest(Path("/dev/null"))
