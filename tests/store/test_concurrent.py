"""Two processes, one PostgreSQL store: appends and forks at once lose nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui.engine import Engine
from tui.engine.store.postgres_store import PostgresStore

WORKER = """
import sys
from pathlib import Path
from tui.engine import Engine
from tui.engine.store.postgres_store import PostgresStore
url, sid, tag, home = sys.argv[1:5]
engine = Engine(PostgresStore(url, Path(home)))
for i in range(25):
    engine.append(sid, "user", f"{tag} {i}")
    if i % 5 == 0:
        engine.fork(sid, title=f"{tag} fork {i}")
engine.close()
"""


def test_two_processes_appending_and_forking_lose_nothing(pg_url: str, tmp_path: Path) -> None:
    engine = Engine(PostgresStore(pg_url, tmp_path / "main"))
    sid = engine.new_session(title="busy").id
    root = Path(__file__).resolve().parents[2]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, pg_url, sid, tag, str(tmp_path / tag)], cwd=root
        )
        for tag in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    texts = [m.text for m in engine.transcript(sid)]
    assert sorted(texts) == sorted(f"{t} {i}" for t in "ab" for i in range(25))  # all 50
    assert len([s for s in engine.family(sid) if s.parent_session_id == sid]) == 10
    engine.close()
