"""The files an imported Claude Code session changed, read from its tool calls' inputs."""

from __future__ import annotations

from tui.engine.importers.claude_code_files import edits_of


def test_edit_write_and_multiedit_inputs_name_their_files() -> None:
    cwd = "/home/u/proj"
    (edit,) = edits_of("t1", "Edit", {"file_path": f"{cwd}/src/a.py",
                       "old_string": "x = 1\n", "new_string": "x = 2\ny = 3\n"}, cwd)  # fmt: skip
    assert (edit.path, edit.added, edit.removed, edit.recorded) == ("src/a.py", 2, 1, False)
    (write,) = edits_of("t2", "Write", {"file_path": "/elsewhere/b.txt", "content": "a\nb\nc"}, cwd)
    assert (write.path, write.added, write.removed) == ("/elsewhere/b.txt", 3, 0)
    (multi,) = edits_of("t3", "MultiEdit", {"file_path": f"{cwd}/c.py", "edits": [
        {"old_string": "a", "new_string": "b\nc"}, {"old_string": "d\ne", "new_string": ""}]},
        cwd)  # fmt: skip
    assert (multi.added, multi.removed) == (2, 3)
    assert edits_of("t4", "Read", {"file_path": f"{cwd}/a.py"}, cwd) == []
    assert edits_of("t5", "Edit", {"old_string": "no path"}, cwd) == []
