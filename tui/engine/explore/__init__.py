"""Looking across sessions: compare two branches, full-text search, fan-out to several
models, cleanup of old sessions, export."""
