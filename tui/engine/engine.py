"""The engine facade: every session operation the UI, CLI, tests and benchmarks use.

The work is done by parts it composes, one per room: a `SessionWriter` (ids, transcripts,
head moves), `Branching` (fork, revert, edit, checkpoints) and a `Streamer` (turns)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from tui.engine.errors import InvalidInputError
from tui.engine.files.blobs import BlobStore
from tui.engine.providers import Provider, default_provider_name, get_provider
from tui.engine.providers.registry import capabilities as provider_capabilities
from tui.engine.sessions import listing, tree
from tui.engine.sessions.branching import Branching, CapabilitiesOf
from tui.engine.sessions.listing import FirstRows
from tui.engine.sessions.model import (
    Message,
    Origin,
    Part,
    Role,
    Session,
    SessionRow,
    TextPart,
    Usage,
    new_id,
    now,
)
from tui.engine.sessions.options import NO_OPTIONS, SessionOptions
from tui.engine.sessions.turn_record import TurnRecord
from tui.engine.sessions.writer import (
    DEFAULT_TITLE,
    TITLE_CHARS,
    SessionWriter,
    clean_title,
    title_from_prompt,
)
from tui.engine.store import SessionStore
from tui.engine.turns.streaming import Streamer

if TYPE_CHECKING:  # loaded when first used: start-up needs neither
    from tui.engine.explore.compare import Comparison
    from tui.engine.explore.local_search import LocalSearch
    from tui.engine.explore.search import Filters, Hit, SearchIndex
    from tui.engine.explore.search_build import BuildProgress

__all__ = ["DEFAULT_TITLE", "TITLE_CHARS", "Engine", "title_from_prompt"]


class Engine:
    """Sessions as branches of a message tree, over a SessionStore and providers."""

    def __init__(
        self,
        store: SessionStore,
        providers: Callable[[str], Provider] = get_provider,
        flush_interval: float = 0.5,
        capabilities: CapabilitiesOf = provider_capabilities,
    ) -> None:
        self.store = store
        self.blobs = BlobStore(store.home / "blobs")  # file history contents
        self.providers = providers
        self._search: LocalSearch | None = None  # opened by the first search
        self.writer = SessionWriter(store, self._index)
        self.branching = Branching(self.writer, capabilities)
        self.streamer = Streamer(self.writer, providers, flush_interval)
        # each operation is the method of the part that owns it
        self.session = self.writer.session
        self.transcript = self.writer.transcript
        self.message = self.writer.message
        self.fork = self.branching.fork
        self.revert = self.branching.revert
        self.prepare_edit = self.branching.prepare_edit
        self.checkpoint = self.branching.checkpoint
        self.restore = self.branching.restore
        self.stream = self.streamer.stream
        self.continue_after_tools = self.streamer.continue_after_tools
        self.record_tool_result = self.streamer.record_tool_result
        self.send = self.streamer.send

    @classmethod
    def open(
        cls,
        home: str | os.PathLike[str] | None = None,
        providers: Callable[[str], Provider] = get_provider,
        flush_interval: float = 0.5,
        store: str | None = None,
    ) -> Engine:
        """An engine on the store this run uses: `store` (a URL), else FORKTREE_STORE or
        the settings' `store`, else the TinyDB store at `home` (default: FORKTREE_HOME or
        the user data dir)."""
        from tui.engine.store.choose import open_store

        return cls(open_store(home, store), providers, flush_interval)

    @property
    def problems(self) -> list[str]:
        return self.store.problems

    def close(self) -> None:
        if self._search is not None:
            self._search.close()
            self._search = None
        self.store.close()

    # -- search ------------------------------------------------------------------------

    @property
    def search_index(self) -> SearchIndex:
        return self._local_search.index

    @property
    def _local_search(self) -> LocalSearch:
        if self._search is None:
            from tui.engine.explore.local_search import LocalSearch

            self._search = LocalSearch(self.store)
        return self._search

    def search(self, text: str, filters: Filters | None = None, limit: int = 50) -> list[Hit]:
        """Full-text search over every message; each hit names a session to open. A
        server store answers from its own text search; the embedded one from a local
        index (a damaged one is moved aside and built again, with a problem noted)."""
        if hasattr(self.store, "search_messages"):
            from tui.engine.explore.server_search import server_search

            return server_search(self.store, text, filters, limit)
        return self._local_search.search(text, filters, limit)

    def prepare_search(self) -> BuildProgress | None:
        """Start the local index's first build in the background when it is far behind
        the store, and say how far it is; searches meanwhile answer from what it has
        indexed. None when there is nothing to wait for (or the store searches itself).
        A build this call started is returned even when it ended before it returns."""
        if hasattr(self.store, "search_messages"):
            return None
        return self._local_search.prepare()

    def _index(self, root_id: str, messages: list[Message]) -> None:
        """Keep the search index current, once it exists (the first search builds it)."""
        if self._search is None and not (self.store.home / "search.sqlite3").exists():
            return  # start-up and writes never load the search modules before that
        self._local_search.add(root_id, messages)

    # -- reading -----------------------------------------------------------------------

    def sessions(self, include_archived: bool = False) -> list[Session]:
        """Every session, most recently updated first."""
        found = self.store.list_sessions()
        if not include_archived:
            found = [s for s in found if not s.archived]
        return sorted(found, key=lambda s: s.updated, reverse=True)

    def session_rows(self, include_archived: bool = False) -> list[SessionRow]:
        """What `sessions()` lists, in its order, as rows: far cheaper to read in bulk."""
        return listing.newest(self.store.list_rows(), include_archived)

    def first_rows(self, families: int) -> FirstRows:
        """What a start shows: the rows of at least the `families` most recently active
        families, whole (from the store's list of them when it keeps one), else every
        row; in `session_rows()`'s order."""
        return listing.first_rows(self.store, families, self.session_rows, self.session)

    def recent_list_writer(self) -> Callable[[], None] | None:
        """Writing the store's list of its newest families (a cache a start reads first)
        from what the store holds now; the returned call touches no store state, so any
        thread can run it. None for a store without one."""
        writer = getattr(self.store, "recent_writer", None)
        return writer() if writer is not None else None

    def rows_in_steps(self) -> Iterator[None]:
        """Read what `session_rows()` needs a part at a time, a step per item, so a
        screen can draw between steps; `session_rows()` after it reads no file again."""
        return listing.read_in_steps(self.store)

    def sessions_in_steps(self) -> Iterator[None]:
        """The same for `sessions()`: seconds of decoding in a store of 100k sessions,
        read the first time the switcher opens, so it reads between keys and frames."""
        return listing.read_in_steps(self.store, whole=True)

    def most_recent_in(self, folder: str) -> Session | None:
        """The most recently updated session started (or whose tools ran) in `folder`."""
        target = os.path.realpath(folder)
        for session in self.sessions():  # newest first
            cwd = session.origin.cwd
            if cwd and os.path.realpath(cwd) == target:
                return session
        return None

    def stored(self, session_id: str, message_id: str) -> Message:
        """A message of the session as it is stored now, by exact id (the tool loop adds
        results to a reply after it has finished streaming)."""
        return self.store.get_message(self.session(session_id).root_id, message_id)

    def children(self, session_id: str) -> list[Session]:
        """Sessions forked from this one."""
        session = self.session(session_id)
        return [
            s
            for s in self.store.family_sessions(session.root_id)
            if s.parent_session_id == session.id
        ]

    def family(self, session_id: str) -> list[Session]:
        """Every session of the tree this one belongs to."""
        return self.store.family_sessions(self.session(session_id).root_id)

    def diff(self, a_id: str, b_id: str) -> tree.BranchDiff:
        """Common ancestor and diverging tails of two sessions of one family."""
        a, b = self.session(a_id), self.session(b_id)
        if a.root_id != b.root_id:
            return tree.BranchDiff(None, 0, self.transcript(a.id), self.transcript(b.id))
        return tree.branch_diff(a.head_id, b.head_id, self.writer.lookup(a))

    def compare(self, a_id: str, b_id: str) -> Comparison:
        """Two sessions side by side: shared prefix, aligned tails, differences, metrics."""
        from tui.engine.explore.compare import compare

        a, b = self.session(a_id), self.session(b_id)
        return compare(a, b, self.diff(a.id, b.id))

    # -- writing -----------------------------------------------------------------------

    def new_session(
        self,
        title: str | None = None,
        provider: str | None = None,
        model: str | None = None,
        system_prompt: str | None = None,
        origin: Origin | None = None,
        options: SessionOptions | None = None,
        cwd: str | None = None,
    ) -> Session:
        """A new empty session; the provider defaults to the configured one (else echo).
        `cwd` is the folder it was started in: its tools work there."""
        sid = new_id()
        provider = provider or default_provider_name()
        stamp = now()
        session = Session(
            id=sid,
            title=clean_title(title) if title else DEFAULT_TITLE,
            root_id=sid,
            created=stamp,
            updated=stamp,
            provider=provider,
            model=model,
            system_prompt=system_prompt,
            origin=origin or Origin(cwd=cwd),
            options=options or NO_OPTIONS,
        )
        self.store.put_session(session)
        return session

    def append(
        self,
        session_id: str,
        role: Role | str,
        text: str | None = None,
        parts: Iterable[Part] | None = None,
        model: str | None = None,
        usage: Usage | None = None,
        created: float | None = None,
    ) -> Message:
        """Add a message at the session's head without calling a provider."""
        role = Role(role)
        all_parts = tuple(parts or ()) + ((TextPart(text),) if text else ())
        if not all_parts:
            raise InvalidInputError("a message needs text or parts")
        with self.store.transaction():
            session = self.session(session_id)
            message = self.writer.child(session, role, all_parts, model, usage or Usage(), created)
            self.store.put_messages(session.root_id, [message])
            self.writer.move_head(session, message, retitle=text if role is Role.USER else None)
        self._index(session.root_id, [message])
        return message

    def record_turn(self, session_id: str, message_id: str, record: TurnRecord) -> Message:
        """Keep a finished turn's result on its last reply (the transcript shows it)."""
        with self.store.transaction():
            session = self.session(session_id)
            stored = self.store.get_message(session.root_id, message_id)
            marked = stored.with_changes(result=record)
            self.store.put_messages(session.root_id, [marked])
        return marked

    def set_model(self, session_id: str, provider: str, model: str | None = None) -> Session:
        """Switch the provider/model this session's next replies come from."""
        self.providers(provider)  # fails clearly when it is not configured
        with self.store.transaction():
            session = self.session(session_id)
            changed = session.with_changes(provider=provider, model=model, updated=now())
            self.store.put_session(changed)
        return changed

    def set_options(
        self,
        session_id: str,
        options: SessionOptions | None = None,
        system_prompt: str | None = None,
    ) -> Session:
        """Change a session's limits and tools, or its system prompt ("" clears it), from
        its next turn on."""
        with self.store.transaction():
            session = self.session(session_id)
            changes: dict[str, object] = {"updated": now()}
            if options is not None:
                changes["options"] = options
            if system_prompt is not None:
                changes["system_prompt"] = system_prompt or None
            changed = session.with_changes(**changes)
            self.store.put_session(changed)
        return changed

    def rename(self, session_id: str, title: str) -> Session:
        with self.store.transaction():
            session = self.session(session_id)
            renamed = session.with_changes(title=clean_title(title), updated=now())
            self.store.put_session(renamed)
        return renamed

    def archive(self, session_id: str, archived: bool = True) -> Session:
        with self.store.transaction():
            session = self.session(session_id)
            changed = session.with_changes(archived=archived)
            self.store.put_session(changed)
        return changed

    def delete(self, session_id: str) -> Session:
        """Delete a session. Its forks move up to its parent; messages no remaining
        session reaches are removed."""
        with self.store.transaction():
            session = self.session(session_id)
            family = self.store.family_sessions(session.root_id)
            for child in family:
                if child.parent_session_id == session.id:
                    self.store.put_session(
                        child.with_changes(parent_session_id=session.parent_session_id)
                    )
            self.store.remove_session(session)
            heads = [s.head_id for s in family if s.id != session.id]
            keep = tree.reachable(heads, self.writer.lookup(session))
            doomed = [m for m in self.store.family_message_ids(session.root_id) if m not in keep]
            self.store.remove_messages(session.root_id, doomed)
        return session
