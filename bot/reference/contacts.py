"""How phone numbers and e-mail addresses are written (questions and knowledge alike)."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
"""An e-mail address."""

PHONE = re.compile(
    r"(?<![\w/.])(?:\+|00)\d{2,3}\)?[\s./-]?(?:\(0\)[\s./-]?)?\d(?:[\s./-]?\d){6,11}(?!\w)"
    r"|(?<![\w/.])0\d{1,3}[\s./-]?\d{2,4}(?:[\s./-]?\d{2,4}){1,3}(?![\w/])"
)
"""A phone number with an international or a trunk prefix: +32 470 12 34 56, 0470/12.34.56,
06-12345678, (+352) 244 60 3220, 0031 6 1234 5678 (not short numbers such as 112)."""
