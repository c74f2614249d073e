"""``python -m bot``."""

import logging
import os
import sys

from bot.cli import main

try:
    status = main()
    if sys.argv[1:2] == ["ask"]:
        # A one-shot answer only read the index: nothing is left to save, and tearing down
        # Chroma and the model's tables would add 0.4 s to every scripted question.
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(status)
    sys.exit(status)
except BrokenPipeError:
    # The reader went away (e.g. `python -m bot ask ... | head`): nothing left to say.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)
