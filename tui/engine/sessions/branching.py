"""Branch operations: fork at any message, revert, edit-and-resend, checkpoints.
None copies messages; the old tail always stays reachable as a branch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from tui.engine.errors import InvalidInputError
from tui.engine.providers.base import Capabilities
from tui.engine.sessions.model import Message, Origin, Role, Session, Totals, new_id, now
from tui.engine.sessions.options import SessionOptions
from tui.engine.sessions.writer import SessionWriter, clean_title

CapabilitiesOf = Callable[[str], Capabilities]  # a provider's name -> what it can do


class Branching:
    """Writes branches through the writer it is given."""

    def __init__(self, writer: SessionWriter, capabilities: CapabilitiesOf) -> None:
        self.writer = writer
        self.store = writer.store
        self.capabilities = capabilities

    def fork(
        self,
        session_id: str,
        at: str | None = None,
        title: str | None = None,
        provider: str | None = None,
        model: str | None = None,
        system_prompt: str | None = None,
        options: SessionOptions | None = None,
    ) -> Session:
        """A new branch whose head is `at` (default: the session's head). Copies nothing;
        the fork keeps the parent's system prompt and options unless given new ones."""
        with self.store.transaction():
            parent = self.writer.session(session_id)
            point = (
                self.writer.message(parent.id, at)
                if at
                else (
                    self.store.get_message(parent.root_id, parent.head_id)
                    if parent.head_id
                    else None
                )
            )
            stamp = now()
            fork = Session(
                id=new_id(),
                title=clean_title(title) if title else self._fork_title(parent),
                root_id=parent.root_id,
                head_id=point.id if point else None,
                parent_session_id=parent.id,
                fork_point_id=point.id if point else None,
                fork_depth=point.depth if point else None,
                created=stamp,
                updated=stamp,
                provider=provider or parent.provider,
                model=model if model is not None else parent.model,
                system_prompt=(
                    parent.system_prompt if system_prompt is None else system_prompt or None
                ),
                totals=point.totals if point else Totals(),
                origin=self._fork_origin(parent, point),
                options=parent.options if options is None else options,
            )
            self.store.put_session(fork)
        return fork

    def _fork_title(self, parent: Session) -> str:
        """ "<parent> (fork)", numbered from the second fork of a session on, so sibling
        forks read differently in the tree."""
        forks = sum(
            1
            for s in self.store.family_sessions(parent.root_id)
            if s.parent_session_id == parent.id and s.title.startswith(f"{parent.title} (fork")
        )
        return f"{parent.title} (fork)" if forks == 0 else f"{parent.title} (fork {forks + 1})"

    def _fork_origin(self, parent: Session, point: Message | None) -> Origin:
        """A fork of an agent's own session (Claude Code) resumes it natively as a fork;
        an agent that continues only from a session's end loses the link at an earlier
        fork point."""
        origin = parent.origin
        if not self.capabilities(parent.provider).native_sessions or not origin.source_id:
            return origin
        caps = self.capabilities(parent.provider)
        if point is not None and point.id == parent.head_id and caps.forks_at_head:
            return replace(origin, fork_pending=True)
        return replace(origin, source_id=None, fork_pending=None)

    def revert(self, session_id: str, to_message_id: str) -> tuple[Session, Session | None]:
        """Move the head back to an earlier message; the old tail stays as a new branch.

        Returns the moved session and the branch keeping the old tail (None when the
        head did not move)."""
        with self.store.transaction():
            session = self.writer.session(session_id)
            target = self.writer.message(session.id, to_message_id)
            if target.id == session.head_id:
                return session, None
            kept = self._keep_tail(session, target, "before revert")
            moved = self.writer.move_head(session, target)
        return moved, kept

    def _keep_tail(self, session: Session, fork_point: Message | None, why: str) -> Session:
        stamp = now()
        kept = Session(
            id=new_id(),
            title=f"{session.title} ({why})",
            root_id=session.root_id,
            head_id=session.head_id,
            parent_session_id=session.id,
            fork_point_id=fork_point.id if fork_point else None,
            fork_depth=fork_point.depth if fork_point else None,
            created=stamp,
            updated=stamp,
            provider=session.provider,
            model=session.model,
            system_prompt=session.system_prompt,
            totals=session.totals,
            origin=session.origin,
        )
        self.store.put_session(kept)
        return kept

    def prepare_edit(self, session_id: str, message_id: str) -> Session:
        """Set up edit-and-resend of a user message: the old tail is kept as a branch and
        the head moves to the message's parent, so the next send is its sibling.
        Returns the branch keeping the old tail."""
        with self.store.transaction():
            session = self.writer.session(session_id)
            target = self.writer.message(session.id, message_id)
            if target.role is not Role.USER:
                raise InvalidInputError("only your own messages can be edited and resent")
            parent = (
                self.store.get_message(session.root_id, target.parent_id)
                if target.parent_id
                else None
            )
            kept = self._keep_tail(session, parent, "before edit")
            self.store.put_session(
                session.with_changes(
                    head_id=parent.id if parent else None,
                    totals=parent.totals if parent else Totals(),
                    updated=now(),
                )
            )
        return kept

    def checkpoint(self, session_id: str, message_ref: str, name: str) -> Session:
        """Name a message of the session's transcript; the tree lists it under the session."""
        with self.store.transaction():
            session = self.writer.session(session_id)
            message = self.writer.message(session.id, message_ref)
            label = clean_title(name)[:60]
            kept = tuple(c for c in session.checkpoints if c[0] != message.id)
            changed = session.with_changes(checkpoints=(*kept, (message.id, label)))
            self.store.put_session(changed)
        return changed

    def restore(self, session_id: str, name: str) -> Session:
        """Fork from the checkpoint called `name` (or a unique prefix of it)."""
        session = self.writer.session(session_id)
        found = [c for c in session.checkpoints if c[1] == name] or [
            c for c in session.checkpoints if c[1].lower().startswith(name.lower())
        ]
        if len(found) != 1:
            names = ", ".join(c[1] for c in session.checkpoints) or "none"
            raise InvalidInputError(
                f"no single checkpoint {name!r} in {session.short_id} (checkpoints: {names})"
            )
        message_id, label = found[0]
        return self.fork(session.id, at=message_id, title=f"{label} (restored)")
