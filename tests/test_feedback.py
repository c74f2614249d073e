"""``python -m bot feedback``: the ratings the bot kept, per clause, for maintainers."""

from __future__ import annotations

import json
import pickle

from bot import cli
from tests.conftest import make_settings

LU = "factsheet-lu-protection-rules#reflection-period"
NL = "factsheet-nl-protection-rules#shelter"


def test_feedback_is_summed_per_clause_without_question_texts(tmp_path, capsys):
    settings = make_settings(tmp_path, tmp_path)
    state = {"user_data": {
        1: {"feedback": {"a1b2": {"question": "a1b2", "clauses": [LU, NL], "helpful": False}}},
        2: {"feedback": {"c3d4": {"question": "c3d4", "clauses": [LU], "helpful": True},
                         "e5f6": {"question": "e5f6", "clauses": [NL], "helpful": False}}},
    }, "chat_data": {}, "bot_data": {}}
    settings.persistence_path.write_bytes(pickle.dumps(state))

    assert cli.main(["feedback", "--json"], settings=settings) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {"clause_id": NL, "ratings": 2, "unhelpful": 2, "share_unhelpful": 1.0}
    assert rows[1] == {"clause_id": LU, "ratings": 2, "unhelpful": 1, "share_unhelpful": 0.5}

    assert cli.main(["feedback"], settings=settings) == 0
    table = capsys.readouterr().out
    assert NL in table and "100%" in table and "a1b2" not in table


def test_no_state_file_means_no_feedback_yet(tmp_path, capsys):
    assert cli.main(["feedback"], settings=make_settings(tmp_path, tmp_path)) == 0
    assert "No feedback yet" in capsys.readouterr().out
