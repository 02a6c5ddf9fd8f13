"""Reading other tools' sessions into the store: Claude Code transcripts, forktree JSON exports."""
