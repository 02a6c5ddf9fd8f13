from tui.launch import run

raise SystemExit(run())
