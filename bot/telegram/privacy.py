"""Personal-data detection in questions, and question fingerprints that hold no text.

The detection is a reminder, not a filter: the bot still answers, and adds a note not to
share identifying details of victims. It looks for e-mail addresses, phone numbers,
national register numbers (BE, LU) and BSNs (NL), passport-like document numbers, and
dates of birth next to a name or a birth word.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from bot.reference.contacts import EMAIL, PHONE

# Belgian national register number: YY.MM.DD-XXX.CC (with or without separators)
_BE_NRN = re.compile(r"(?<!\d)\d{2}[.\s]?\d{2}[.\s]?\d{2}[-\s]?\d{3}[.\s]?\d{2}(?!\d)")
# Luxembourg matricule (13 digits) and Dutch BSN (9 digits), written as one number
_LONG_NUMBER = re.compile(r"(?<![\d/.-])(?:\d{13}|\d{9})(?![\d/.-])")
# Passport or ID card number: letters and digits mixed, 8-9 characters, e.g. NXC4P7R21,
# EH1234567, or a number right after a passport/ID word.
_DOCUMENT_WORDS = (
    r"passport|paspoort|passeport|reisepass|pass|id[- ]?kaart|identiteitskaart|"
    r"carte d'identité|personalausweis|ausweis|rijksregister(?:nummer)?|"
    r"registre national|national register|bsn|matricule|v-?nummer"
)
_DOCUMENT = re.compile(
    rf"\b(?:{_DOCUMENT_WORDS})\b[^\n\d]{{0,20}}[A-Z0-9][A-Z0-9 .-]{{4,14}}\d",
    re.IGNORECASE,
)
_DOCUMENT_CODE = re.compile(r"\b(?=[A-Z0-9]{8,9}\b)(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])"
                            r"[A-Z]{1,3}[A-Z0-9]{5,8}\b")
_DATE = re.compile(
    r"(?<![\d/])(?:[0-3]?\d[./-][01]?\d[./-](?:19|20)\d\d|(?:19|20)\d\d-[01]\d-[0-3]\d)(?![\d/])"
)
_BIRTH_WORDS = re.compile(
    r"\b(?:born|birth|d\.?o\.?b|geboren|geb\.|geboortedatum|née?|naissance|"
    r"date de naissance|geburtsdatum|geburtstag)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ'-]+(?:\s+(?:van|de|der|den|von|du|le|la))*"
                   r"\s+[A-ZÀ-Ý][a-zà-ÿ'-]+\b")
_NOT_NAMES = {
    "belgium", "belgië", "belgique", "belgien", "netherlands", "nederland", "luxembourg",
    "luxemburg", "pays", "bas", "niederlande", "european", "union", "council", "europe",
    "article", "artikel", "art", "law", "wet", "loi", "gesetz", "directive", "richtlijn",
    "how", "what", "which", "who", "can", "does", "is", "hoe", "wat", "welke", "wie",
    "quel", "quelle", "comment", "qui", "was", "welche", "mein", "my", "mijn",
}


def looks_personal(text: str) -> bool:
    """True when ``text`` seems to contain identifying personal data.

    Args:
        text: A question as the user wrote it.
    """
    without_dates = _DATE.sub(" ", text)
    if EMAIL.search(text) or PHONE.search(without_dates) or _BE_NRN.search(without_dates):
        return True
    if _LONG_NUMBER.search(text) or _DOCUMENT.search(text) or _DOCUMENT_CODE.search(text):
        return True
    if _DATE.search(text):
        if _BIRTH_WORDS.search(text):
            return True
        for match in _NAME.finditer(text):
            words = {w.lower() for w in match.group(0).split()}
            if not words & _NOT_NAMES:
                return True
    return False


def question_hash(question: str) -> str:
    """A short fingerprint of a question (SHA-256, 16 hex digits) that does not hold its text.

    Case, accents' composition and spacing do not change the fingerprint.
    """
    normal = " ".join(unicodedata.normalize("NFC", question).casefold().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]
