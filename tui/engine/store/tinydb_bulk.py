"""The embedded store's side of a bulk import: families whose whole files other
processes wrote (an import's workers), handed to the store to move into place."""

from __future__ import annotations

import shutil
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.engine.store.errors import StoreError
from tui.engine.store.journal import incoming_folder

if TYPE_CHECKING:
    from tui.engine.sessions.model import Session
    from tui.engine.store.tinydb_files import StoreFile


class FamilyLoads:
    """Mixed into TinyDBStore (which has everything declared below)."""

    home: Path
    _families: OrderedDict[str, StoreFile]
    _added: dict[str, StoreFile]  # families added in the open transaction (uncached)

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...

        def _family_path(self, root_id: str) -> Path: ...

        def _open(self, path: Path) -> StoreFile: ...

        def _index_doc(
            self, sid: str, doc: dict[str, Any], session: Session | None = None
        ) -> None: ...

    def has_family(self, root_id: str) -> bool:
        """Whether the store holds the family (or this transaction wrote it)."""
        return self._written_here(root_id) or self._family_path(root_id).exists()

    def _written_here(self, root_id: str) -> bool:
        """The open transaction added the family, or changed it and not yet saved."""
        file = self._families.get(root_id)
        return root_id in self._added or (file is not None and file.storage.dirty)

    def add_family(self, root_id: str, sessions: list[dict[str, Any]], staged: str) -> None:
        """A family new to the store (see `has_family`), as another process wrote its
        whole file (`encode_family`) to the temp file `staged` in `incoming()`: moved
        into place at the commit, never read here. `sessions` are its sessions' stored
        documents (`Session.to_dict`), for the index."""
        if self._written_here(root_id):
            raise StoreError(f"internal: the family {root_id} exists already")
        with self.transaction():
            self._families.pop(root_id, None)
            family = self._added[root_id] = self._open(self._family_path(root_id))
            family.storage.adopt(staged)
            for doc in sessions:
                self._index_doc(str(doc["id"]), doc)

    @contextmanager
    def incoming(self) -> Iterator[Path]:
        """A folder on the store's filesystem for family files that other processes
        write for `add_family`; it goes on exit, with every file not taken. One a killed
        process left is removed by the next `recover`."""
        folder = incoming_folder(self.home)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
