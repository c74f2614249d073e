"""The house rules that keep the code navigable: catalogues complete, tooling apart."""

from __future__ import annotations

import string
import subprocess
import sys

from bot.locales import CATALOGUES
from tests.conftest import REPO


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_catalogue_has_every_text_with_the_same_placeholders():
    english = CATALOGUES["en"]
    for language, catalogue in CATALOGUES.items():
        assert set(catalogue.TEXTS) == set(english.TEXTS), language
        assert set(catalogue.COMMANDS) == set(english.COMMANDS), language
        for key, template in english.TEXTS.items():
            assert placeholders(catalogue.TEXTS[key]) == placeholders(template), (language, key)


def test_the_answer_texts_hold_no_markup():
    for catalogue in CATALOGUES.values():
        for key in ("lead", "lead_country", "lead_country_follow", "off_topic", "not_covered",
                    "nearby", "stale", "checked_on", "text_of", "official_text", "empty",
                    "too_long"):
            assert "<" not in catalogue.TEXTS[key], key


def test_the_product_package_imports_nothing_from_the_tooling():
    code = (
        "import importlib, pkgutil, sys, bot\n"
        "for m in pkgutil.walk_packages(bot.__path__, 'bot.'):\n"
        "    if m.name != 'bot.__main__': importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('devtools', 'tests')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
