"""Every CLI subcommand, in process, with its output and error paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main
from tui.engine import Engine


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sid(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "new", "--title", "cli test")
    assert code == 0
    return out.strip()


def test_new_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "new", "--json", "--model", "m1", "--system", "be brief")
    data = json.loads(out)
    assert code == 0 and data["model"] == "m1" and data["system_prompt"] == "be brief"
    assert data["parent_session_id"] is None and data["messages"] == 0


def test_send_streams_reply_and_stores_it(capsys: pytest.CaptureFixture[str], sid: str) -> None:
    code, out, _ = run(capsys, "send", sid[:8], "hello from the cli")
    assert code == 0
    assert "Offline echo provider" in out and "> hello from the cli" in out
    code, out, _ = run(capsys, "show", sid, "--json")
    data = json.loads(out)
    assert [m["role"] for m in data["transcript"]] == ["user", "assistant"]
    kinds = [p["kind"] for p in data["transcript"][1]["parts"]]
    assert kinds == ["thinking", "tool_use", "tool_result", "text"]


def test_send_reads_stdin(
    capsys: pytest.CaptureFixture[str], sid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("piped prompt"))
    code, out, _ = run(capsys, "send", sid, "-")
    assert code == 0 and "> piped prompt" in out


def test_fork_revert_tree_and_list(capsys: pytest.CaptureFixture[str], sid: str) -> None:
    run(capsys, "send", sid, "one")
    run(capsys, "send", sid, "two")
    _, out, _ = run(capsys, "show", sid, "--json")
    first_reply = json.loads(out)["transcript"][1]["id"]
    code, out, _ = run(capsys, "fork", sid, "--at", first_reply[:8], "--title", "alt", "--json")
    fork = json.loads(out)
    assert code == 0 and fork["fork_point_id"] == first_reply and fork["messages"] == 2
    code, out, _ = run(capsys, "revert", sid, first_reply[:10])
    assert code == 0 and "old tail is kept" in out
    code, out, _ = run(capsys, "tree", "--json")
    (root,) = json.loads(out)
    assert root["id"] == sid
    assert sorted(c["title"] for c in root["children"]) == ["alt", "cli test (before revert)"]
    _, out, _ = run(capsys, "tree")
    assert "└ " in out and "@ " + first_reply[:8] in out
    _, out, _ = run(capsys, "list", "--json")
    assert len(json.loads(out)) == 3
    _, out, _ = run(capsys, "list")
    assert "cli test" in out and "msgs" in out


def test_show_text(capsys: pytest.CaptureFixture[str], sid: str) -> None:
    run(capsys, "send", sid, "show me")
    code, out, _ = run(capsys, "show", sid)
    assert code == 0 and "user ›" in out and "(tool count_words)" in out


def test_rename_archive_rm(capsys: pytest.CaptureFixture[str], sid: str) -> None:
    assert run(capsys, "rename", sid, "new name")[0] == 0
    assert "new name" in run(capsys, "list")[1]
    assert run(capsys, "archive", sid)[0] == 0
    assert "new name" not in run(capsys, "list")[1]
    assert "[archived]" in run(capsys, "list", "--all")[1]
    assert run(capsys, "archive", sid, "--undo")[0] == 0
    code, out, _ = run(capsys, "rm", sid, "--yes")
    assert code == 0 and "deleted" in out
    assert run(capsys, "list", "--json")[1].strip() == "[]"


def test_export_md_and_json(capsys: pytest.CaptureFixture[str], sid: str, tmp_path: Path) -> None:
    run(capsys, "send", sid, "export me")
    code, out, _ = run(capsys, "export", sid, "--format", "md")
    assert code == 0 and out.startswith("# cli test") and "<summary>Thinking</summary>" in out
    target = tmp_path / "s.json"
    code, _, err = run(capsys, "export", sid, "--format", "json", "-o", str(target))
    data = json.loads(target.read_text())
    assert code == 0 and "wrote" in err
    assert data["format"] == "forktree-session" and len(data["messages"]) == 2


def test_demo_builds_forks_and_a_revert(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo")
    assert code == 0
    _, out, _ = run(capsys, "tree", "--json")
    roots = json.loads(out)
    assert len(roots) == 3
    titles = [c["title"] for r in roots for c in r["children"]]
    assert any("before revert" in t for t in titles)
    assert "Billing: try attrs instead" in titles


@pytest.mark.parametrize(
    "argv, message",
    [
        (["show", "deadbeef"], "no session matches 'deadbeef'"),
        (["send", "nope", "hi"], "no session matches 'nope'"),
        (["fork", "nope"], "no session matches"),
        (["rename", "nope", "x"], "no session matches"),
        (["archive", "nope"], "no session matches"),
        (["rm", "nope", "-y"], "no session matches"),
        (["export", "nope"], "no session matches"),
        (["revert", "nope", "abc"], "no session matches"),
    ],
)
def test_wrong_ids_give_one_clear_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("forktree: error: ") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_empty_prompt_and_bad_message_ids(capsys: pytest.CaptureFixture[str], sid: str) -> None:
    code, _, err = run(capsys, "send", sid, "  ")
    assert code == 2 and "the prompt is empty" in err
    code, _, err = run(capsys, "revert", sid, "ffff")
    assert code == 2 and "no message matches 'ffff'" in err
    code, _, err = run(capsys, "fork", sid, "--at", "ffff")
    assert code == 2 and "no message matches" in err
    code, _, err = run(capsys, "rename", sid, "   ")
    assert code == 2 and "title is empty" in err


def test_ambiguous_prefix(capsys: pytest.CaptureFixture[str], isolated_env: Path) -> None:
    engine = Engine.open(isolated_env)
    ids = [engine.new_session().id for _ in range(40)]
    crowded = next(c for c in "0123456789abcdef" if sum(i.startswith(c) for i in ids) > 1)
    code, _, err = run(capsys, "show", crowded)
    assert code == 2 and "is ambiguous" in err


def test_control_characters_never_reach_the_terminal(
    capsys: pytest.CaptureFixture[str], sid: str
) -> None:
    run(capsys, "send", sid, "evil \x1b]0;pwned\x07 \x1b[2J text")
    _, out, _ = run(capsys, "show", sid)
    assert "\x1b" not in out and "\x07" not in out


def test_corrupt_file_is_reported_by_name(
    capsys: pytest.CaptureFixture[str], sid: str, isolated_env: Path
) -> None:
    run(capsys, "send", sid, "hello")
    shard = isolated_env / "index" / f"{sid[:2]}.json"
    shard.write_text("{ not json")
    code, out, err = run(capsys, "list")
    assert code == 0 and "cli test" in out
    assert f"warning: {shard} was corrupt" in err


def test_providers_lists_echo_and_configured(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fakes.server import FakeServer

    with FakeServer() as server:
        monkeypatch.setenv("OLLAMA_HOST", server.url)
        code, out, _ = run(capsys, "providers", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert code == 0 and rows["echo"]["reachable"]
    assert rows["ollama"]["reachable"] and rows["ollama"]["default"]
    assert rows["ollama"]["base_url"] == f"{server.url}/v1"
    code, out, _ = run(capsys, "providers")
    assert "* ollama" in out and "UNREACHABLE" in out  # the fake server is gone now


def test_config_path(capsys: pytest.CaptureFixture[str], isolated_env: Path) -> None:
    code, out, _ = run(capsys, "config", "path")
    assert code == 0 and out.strip().endswith("settings.toml")
    assert run(capsys, "config", "store")[1].strip() == f"{isolated_env} (TinyDB, on this machine)"


def test_send_to_a_failing_provider_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fakes.server import FakeServer, Reply

    with FakeServer() as server:
        server.script(Reply(401, [b'{"error": {"message": "bad key"}}']))
        monkeypatch.setenv("OPENAI_API_KEY", "sk-SECRET-123")
        monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
        code, out, _ = run(capsys, "new")
        sid = out.strip()
        code, out, err = run(capsys, "send", sid, "hello")
    assert code == 1
    assert "rejected the API key from OPENAI_API_KEY (401)" in err and "SECRET" not in err


def test_every_subcommand_output_is_terminal_safe(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Imported JSON is not cleaned on the way in: compare, search, cleanup and import
    output must still never carry a control character to the terminal."""
    main(["new", "--title", "plain"])
    sid = capsys.readouterr().out.strip()
    main(["send", sid, "evil \x1b]0;pwned\x07 text"])
    main(["fork", sid, "--title", "other"])
    fork = capsys.readouterr().out.strip().splitlines()[-1]
    main(["export", sid, "--format", "json", "-o", str(tmp_path / "s.json")])
    data = json.loads((tmp_path / "s.json").read_text())
    data["session"]["title"] = "title \x1b[2J with escapes"
    (tmp_path / "s.json").write_text(json.dumps(data))
    capsys.readouterr()
    for argv in (
        ["import", "json", str(tmp_path / "s.json")],
        ["compare", sid, fork],
        ["search", "evil"],
        ["cleanup", "--match", "evil"],
        ["list"],
        ["show", sid],
    ):
        assert main(argv) == 0, argv
        out = capsys.readouterr().out
        assert out and not any(ch in out for ch in "\x1b\x07\x00"), argv


def test_the_forktree_command_collects_garbage_again_once_it_knows_the_command(
    tmp_path: Path,
) -> None:
    """`tui.launch` pauses collection for the imports; a CLI command must not run
    (an import of thousands of files, say) with it still off."""
    code = (
        "import gc, sys\n"
        "from tui.launch import run\n"
        f"sys.argv = ['forktree', '--home', {str(tmp_path)!r}, 'new', '--title', 'x']\n"
        "assert run() == 0\n"
        "assert gc.isenabled()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_every_changing_subcommand_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    def js(*argv: str) -> dict:
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        return json.loads(out)

    sid = js("new", "--json")["id"]
    run(capsys, "send", sid, "one")
    run(capsys, "send", sid, "two")
    first = js("show", sid, "--json")["transcript"][1]["id"]
    assert js("rename", sid, "renamed", "--json")["title"] == "renamed"
    assert js("checkpoint", sid, first, "good", "--json")["checkpoints"] == [[first, "good"]]
    restored = js("restore", sid, "good", "--json")
    assert restored["head_id"] == first and restored["parent_session_id"] == sid
    reverted = js("revert", sid, first, "--json")
    assert reverted["session"]["head_id"] == first and reverted["kept"]["messages"] == 4
    assert js("compact", sid, "--json")["compact"] is True
    assert js("archive", restored["id"], "--json")["archived"] is True
    listed = js("cleanup", "--older-than", "0", "--json")
    assert listed["applied"] is False and {s["id"] for s in listed["sessions"]} >= {sid}
    assert js("rm", restored["id"], "-y", "--json")["deleted"] == restored["id"]
    code, _, err = run(capsys, "cleanup", "--older-than", "0", "--delete", "--apply", "--json")
    assert code == 2 and "needs -y" in err
