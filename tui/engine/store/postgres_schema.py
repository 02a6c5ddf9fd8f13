"""The PostgreSQL store's schema, version by version: each step takes a store from the
version before it to its own; `forktree_schema` says which one a store is at."""

from __future__ import annotations

from typing import Any

from tui.engine.sessions.model import Message

SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS forktree_schema (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id text PRIMARY KEY,
    root_id text NOT NULL,
    parent_session_id text,
    created double precision NOT NULL DEFAULT 0,
    updated double precision NOT NULL DEFAULT 0,
    archived boolean NOT NULL DEFAULT false,
    owner name NOT NULL DEFAULT current_user,
    doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_root ON sessions (root_id);
CREATE INDEX IF NOT EXISTS sessions_prefix ON sessions (id text_pattern_ops);
CREATE TABLE IF NOT EXISTS messages (
    root_id text NOT NULL,
    id text NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (root_id, id)
);
"""
# Who sees what, enforced by the database: a session is its owner's unless shared (with
# roles, or with everyone); a family's messages are readable by whoever sees one of its
# sessions, and writable only by who wrote them. Another client of the same database
# (psql, a script) is held to the same rules.
SHARING = """
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS shared_with name[] NOT NULL DEFAULT '{}';
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS shared_all boolean NOT NULL DEFAULT false;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS owner name NOT NULL DEFAULT current_user;
CREATE OR REPLACE FUNCTION forktree_sees(s sessions) RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT s.owner = current_user OR s.shared_all OR current_user = ANY(s.shared_with) $$;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS sessions_read ON sessions;
DROP POLICY IF EXISTS sessions_own ON sessions;
DROP POLICY IF EXISTS messages_read ON messages;
DROP POLICY IF EXISTS messages_own ON messages;
CREATE POLICY sessions_read ON sessions FOR SELECT USING (forktree_sees(sessions));
CREATE POLICY sessions_own ON sessions FOR ALL USING (owner = current_user)
  WITH CHECK (owner = current_user);
CREATE POLICY messages_read ON messages FOR SELECT USING (
  owner = current_user OR EXISTS (
    SELECT 1 FROM sessions s WHERE s.root_id = messages.root_id AND forktree_sees(s)));
CREATE POLICY messages_own ON messages FOR ALL USING (owner = current_user)
  WITH CHECK (owner = current_user AND (
    NOT EXISTS (SELECT 1 FROM sessions s WHERE s.root_id = messages.root_id)
    OR EXISTS (SELECT 1 FROM sessions s WHERE s.root_id = messages.root_id
               AND forktree_sees(s))));
GRANT SELECT ON forktree_schema TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, messages TO PUBLIC;
"""
# Full-text search in the database: what a search sees of each message, indexed (GIN)
SEARCH = """
ALTER TABLE messages ADD COLUMN IF NOT EXISTS body text NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN IF NOT EXISTS created double precision NOT NULL DEFAULT 0;
"""
TEXT_INDEX = (
    "CREATE INDEX IF NOT EXISTS messages_text ON messages USING gin (to_tsvector('simple', body))"
)
SEARCH += TEXT_INDEX + ";\n"
MIGRATIONS = {1: SCHEMA, 2: SHARING, 3: SEARCH}  # version -> what takes a store there


def searchable(message: Message) -> str:
    """What a search sees of a message: its text, thinking and tool names and paths."""
    pieces = [message.text, message.thinking]
    pieces += [getattr(p, "name", "") or getattr(p, "path", "") for p in message.parts]
    return "\n".join(p for p in pieces if p)


def searchable_doc(doc: dict[str, Any]) -> str:
    """The same as `searchable`, from a stored document (a copy moves documents)."""
    pieces = []
    for part in doc.get("parts") or ():
        if isinstance(part, dict):
            value = part.get("text") if part.get("kind") in ("text", "thinking") else (
                part.get("name") or part.get("path")
            )  # fmt: skip
            if isinstance(value, str) and value:
                pieces.append(value)
    return "\n".join(pieces)
