"""The search screen: full-text search over every session; Enter jumps to the message."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.engine import Engine
from tui.engine.explore.search import Filters, Hit
from tui.engine.explore.search_build import BuildProgress
from tui.engine.util.humanize import age

Jump = tuple[str, str]  # (session id, message id)


def hit_label(hit: Hit) -> Text:
    """Title and age on one line, the snippet with the matched words highlighted below."""
    title = hit.session.title if hit.session else "?"
    text = Text.assemble((title, "bold"), f"  · {hit.role} · {age(hit.created)}\n  ")
    snippet = " ".join(hit.snippet.split())
    for i, piece in enumerate(snippet.replace("]", "[").split("[")):
        text.append(piece, "bold reverse" if i % 2 else "")
    return text


class SearchScreen(ModalScreen[Jump | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="search.close"),
        Binding("down", "cursor(1)", "Down", show=False, id="search.down"),
        Binding("up", "cursor(-1)", "Up", show=False, id="search.up"),
        Binding("ctrl+a", "toggle_archived", "Archived too", id="search.archived"),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.filters = Filters()
        self.hits: list[Hit] = []
        self.building: BuildProgress | None = None
        self._built = 0  # families indexed when the shown results were searched
        self._problems = len(engine.problems)  # those already shown

    def compose(self) -> ComposeResult:
        with Vertical(id="switcher"):
            yield Input(
                placeholder="Search every message… (all words, as words or their start)",
                id="search-input",
            )
            yield Static("", id="search-status")
            yield OptionList(id="switcher-list")

    def on_mount(self) -> None:
        # A store never indexed builds in the background; results fill in as it goes.
        self._follow(self.engine.prepare_search())
        self._report_problems()

    def _follow(self, building: BuildProgress | None) -> None:
        self.building = building
        if building is not None:
            self.set_interval(0.3, self._follow_build)
            self._show_status()

    def _report_problems(self) -> None:
        """A damaged index is moved aside and built again: say so."""
        problems = self.engine.problems
        for problem in problems[self._problems :]:
            self.notify(problem, title="Search index", severity="warning", timeout=15)
        if len(problems) > self._problems and self.building is None:
            self._follow(self.engine.prepare_search())  # the new index's build
        self._problems = len(problems)

    def _follow_build(self) -> None:
        progress = self.building
        if progress is None or progress.done == self._built:
            return
        query = self.query_one(Input).value
        if query.strip():
            self._search(query)  # more of the store is indexed: search it again
        else:
            self._show_status()
        if progress.finished:
            self.building = None

    def _building_note(self) -> str:
        progress = self.building
        if progress is None:
            return ""
        if progress.finished and progress.error:
            return f" · index build stopped ({progress.error}); the next search goes on"
        if progress.finished:
            return ""
        return (
            f" · indexing, {progress.done:,} of {progress.total:,} conversations so far"
            " (newest first)"
        )

    def _show_status(self, hits: int | None = None) -> None:
        archived = " (archived included)" if self.filters.archived else ""
        text = (
            f" {hits} match{'es' if hits != 1 else ''}{archived}"
            if hits is not None
            else " ctrl+a includes archived sessions"
        )
        self.query_one("#search-status", Static).update(text + self._building_note())

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(exclusive=True, group="search")
    async def _search(self, query: str) -> None:
        self._built = self.building.done if self.building is not None else 0
        hits = self.engine.search(query, self.filters, limit=50) if query.strip() else []
        self._report_problems()
        self.hits = hits
        options = self.query_one(OptionList)
        options.clear_options()
        for i, hit in enumerate(hits):
            options.add_option(Option(hit_label(hit), id=str(i)))
        if hits:
            options.highlighted = 0
        self._show_status(len(hits) if query.strip() else None)

    def action_toggle_archived(self) -> None:
        self.filters = Filters(archived=not self.filters.archived)
        self._search(self.query_one(Input).value)

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def _pick(self, index: int | None) -> None:
        hit = self.hits[index] if index is not None and 0 <= index < len(self.hits) else None
        if hit is not None and hit.session is not None:
            self.dismiss((hit.session.id, hit.message_id))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._pick(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option_index)
