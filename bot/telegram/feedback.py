"""The 👍/👎 the bot kept, summed up per clause for the maintainers (never a question text)."""

from __future__ import annotations

import pickle
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.errors import BotError


@dataclass(frozen=True)
class ClauseFeedback:
    """How a clause fared in the answers users rated."""

    clause_id: str
    ratings: int
    unhelpful: int

    @property
    def share_unhelpful(self) -> float:
        """Share of the ratings that were 👎."""
        return self.unhelpful / self.ratings if self.ratings else 0.0


def load_feedback(persistence_path: Path) -> list[ClauseFeedback]:
    """Per clause cited in a rated answer: ratings and 👎, most 👎 first.

    Args:
        persistence_path: The bot's state file (``PERSISTENCE_PATH``).

    Raises:
        BotError: the file cannot be read.
    """
    path = Path(persistence_path)
    if not path.is_file():
        return []
    try:
        # The bot's own PicklePersistence file, written by this program only.
        state = pickle.loads(path.read_bytes())  # noqa: S301
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
        raise BotError(f"cannot read the bot's state file {path}: {exc}") from exc
    ratings: Counter[str] = Counter()
    down: Counter[str] = Counter()
    for data in (state.get("user_data") or {}).values():
        for item in (data or {}).get("feedback", {}).values():
            for clause_id in item.get("clauses", []):
                ratings[clause_id] += 1
                down[clause_id] += 0 if item.get("helpful") else 1
    rows = [ClauseFeedback(cid, ratings[cid], down[cid]) for cid in ratings]
    return sorted(rows, key=lambda r: (-r.unhelpful, -r.share_unhelpful, r.clause_id))


def format_feedback(rows: list[ClauseFeedback]) -> str:
    """A table for the terminal: clause, ratings, 👎 and their share."""
    if not rows:
        return "No feedback yet."
    width = max(len(r.clause_id) for r in rows)
    lines = [f"{'clause':{width}s}  ratings  not helpful  share"]
    lines += [
        f"{r.clause_id:{width}s}  {r.ratings:7d}  {r.unhelpful:11d}  {r.share_unhelpful:5.0%}"
        for r in rows
    ]
    return "\n".join(lines)
