"""What every subcommand shares when it prints: JSON output and the usage exit code."""

from __future__ import annotations

import json
import sys

EXIT_USAGE = 2


def emit_json(data: object) -> None:
    """`--json` output: indented, unicode as it is, one trailing newline."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
