"""The compare screen: shared prefix collapsed, the two tails side by side, turn by turn,
with word-level differences highlighted and tool calls compared."""

from __future__ import annotations

import json

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from tui.app.compositor import use_scrolling_compositor
from tui.app.widgets.compare_rows import CompareRows
from tui.app.widgets.keys_footer import KeysFooter
from tui.engine import Engine
from tui.engine.explore.compare import Comparison, SideMetrics, Turn, TurnPair
from tui.engine.files.history import FileSpan
from tui.engine.util.humanize import money, tokens

PAGE = 12  # turn pairs drawn at once as the user scrolls (the first: what fills the screen)
FILL = 1.2  # screens of rows drawn when the compare opens
DELETED = "bold black on #e06c75"
INSERTED = "bold black on #98c379"


def side_text(pair: TurnPair, side: str) -> Text:
    """One side of a turn: the prompt, the reply with its differences, the tool calls."""
    turn: Turn | None = pair.a if side == "a" else pair.b
    text = Text()
    if turn is None:
        text.append("(no turn here)", "italic dim")
        return text
    if turn.prompt is not None:
        style = "bold" if pair.prompt_same else DELETED if side == "a" else INSERTED
        text.append("you › ", "bold")
        text.append(turn.prompt.text.strip() + "\n\n", style)
    for chunk in pair.chunks:
        piece = chunk.a if side == "a" else chunk.b
        if not piece:
            continue
        text.append(piece, "" if chunk.op == "equal" else DELETED if side == "a" else INSERTED)
    for i, tool in enumerate(turn.tools):
        diff = pair.tools[i]
        same = diff.name_a == diff.name_b and diff.same_input
        args = json.dumps(tool.input, ensure_ascii=False)
        text.append(f"\n⚙ {tool.name} {args[:120]}", "dim" if same else "bold yellow")
        text.append("  =" if same else "  ≠", "dim" if same else "bold yellow")
    return text


def files_text(files: tuple[FileSpan, ...]) -> Text:
    """The files one side changed since the fork point, a line each ("d" shows diffs)."""
    text = Text()
    if not files:
        text.append("no files changed", "italic dim")
        return text
    text.append(f"{len(files)} file(s) changed · d shows the diffs\n", "bold")
    for span in files:
        mark = {"added": "A", "deleted": "D"}.get(span.status, "M")
        text.append(f"{mark} {span.path} ")
        kept = "" if span.recorded else " (contents not kept)"
        text.append(f"+{span.added} -{span.removed}{kept}\n", "dim")
    return text


def metrics_line(label: str, title: str, m: SideMetrics) -> Text:
    tools = " ".join(f"{k}×{v}" for k, v in sorted(m.tool_calls.items())) or "no tools"
    return Text.assemble(
        (f"{label} ", "bold reverse"),
        (f" {title}", "bold"),
        f"  {m.model or '-'} · {m.turns} turns · "
        f"{tokens(m.input_tokens + m.output_tokens)} tok · {money(m.cost_usd)}"
        f" · {m.duration_s:.0f}s · {tools}",
    )


class CompareBody(VerticalScroll):
    """Says when the user scrolled near the end, so more rows can be mounted."""

    class NearEnd(Message):
        pass

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - self.size.height:
            self.post_message(self.NearEnd())


class CompareScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Close", id="compare.close"),
        Binding("n", "jump(1)", "Next diff", id="compare.next"),
        Binding("p", "jump(-1)", "Prev diff", id="compare.prev"),
        Binding("s", "swap", "Swap sides", id="compare.swap"),
        Binding("l", "toggle_lock", "Scroll apart/together", id="compare.lock"),
        Binding("d", "toggle_files", "Files / turns", id="compare.files"),
    ]

    def __init__(self, engine: Engine, a_id: str, b_id: str) -> None:
        super().__init__()
        use_scrolling_compositor(self)  # a scroll repaints what moved, not the screen
        self.engine = engine
        self.comparison: Comparison = engine.compare(a_id, b_id)
        self.together = True
        self.files_view = False  # the files each side changed, diff by diff
        self.current_diff = -1
        self.shown = 0

    def compose(self) -> ComposeResult:
        yield Static(id="compare-a-meta", classes="compare-meta")
        yield Static(id="compare-b-meta", classes="compare-meta")
        yield Static(id="compare-shared")
        yield CompareBody(id="compare-body")
        yield KeysFooter()

    async def on_mount(self) -> None:
        await self._show()

    async def _show(self) -> None:
        c = self.comparison
        self.query_one("#compare-a-meta", Static).update(metrics_line("A", c.a.title, c.metrics_a))
        self.query_one("#compare-b-meta", Static).update(metrics_line("B", c.b.title, c.metrics_b))
        diffs = len(c.differences())
        shared = (
            f"▸ {c.shared} shared message{'s' if c.shared != 1 else ''}"
            if c.ancestor
            else "▸ no shared history"
        )
        self.query_one("#compare-shared", Static).update(
            f"{shared} · {len(c.pairs)} turn(s) after it · {diffs} differ"
            + ("" if self.together else " · scrolling apart")
        )
        body = self.query_one("#compare-body", VerticalScroll)
        await body.remove_children()
        if self.files_view:
            await body.mount_all(self._file_rows())
            return
        if c.files_a or c.files_b:
            await body.mount(
                Horizontal(
                    Static(files_text(c.files_a), classes="compare-cell"),
                    Static(files_text(c.files_b), classes="compare-cell"),
                    classes="compare-row",
                )
            )
        wanted, self.shown = max(self._filling(), self.shown), 0
        body.set_class(wanted < len(c.pairs), "-scrolls")  # more than fills the screen
        if self.together:
            rows = CompareRows(c.pairs, side_text, wanted, id="compare-rows")
            self.shown = rows.shown
            await body.mount(rows)
        else:  # apart: the same turns, as two columns that scroll on their own
            upto = min(len(c.pairs), wanted)
            self.shown = upto
            await body.mount(
                Horizontal(
                    VerticalScroll(
                        *[self._cell(i, c.pairs[i], "a") for i in range(upto)],
                        classes="compare-column",
                    ),
                    VerticalScroll(
                        *[self._cell(i, c.pairs[i], "b") for i in range(upto)],
                        classes="compare-column",
                    ),
                    classes="compare-apart",
                )
            )
        if not c.pairs:
            await body.mount(Static("The two sessions end at the same message.", classes="empty"))

    def _filling(self) -> int:
        """Turn pairs enough to fill FILL screens (each widget row costs milliseconds to
        mount and lay out; the rest mount as the user scrolls near the end)."""
        width = max(20, (self.app.size.width - 6) // 2)  # a cell: half, less border, padding
        room = FILL * self.app.size.height
        console = self.app.console
        used, count = 0, 0
        for pair in self.comparison.pairs[:PAGE]:
            used += 1 + max(len(side_text(pair, side).wrap(console, width)) for side in "ab")
            count += 1
            if used >= room:
                break
        return max(1, count)

    def _more(self, count: int) -> None:
        """Draw the next `count` turn pairs below the ones shown."""
        rows = self.query_one(CompareRows)
        rows.show_more(count)
        self.shown = rows.shown

    def _cell(self, index: int, pair: TurnPair, side: str) -> Static:
        classes = "compare-cell" + ("" if pair.same else " -differs")
        return Static(side_text(pair, side), classes=classes, id=f"turn-{side}-{index}")

    def on_compare_body_near_end(self, _: CompareBody.NearEnd) -> None:
        if self.together and self.shown < len(self.comparison.pairs):
            self._more(PAGE)

    async def action_jump(self, step: int) -> None:
        diffs = self.comparison.differences()
        if not diffs:
            self.notify("The two branches say the same.")
            return
        later = [d for d in diffs if (d > self.current_diff if step > 0 else d < self.current_diff)]
        self.current_diff = (
            (later[0] if step > 0 else later[-1])
            if later
            else (diffs[0] if step > 0 else diffs[-1])
        )
        if self.current_diff >= self.shown:  # not drawn yet: draw up to it first
            if self.together:
                self._more(self.current_diff - self.shown + PAGE)
            else:
                self.shown = self.current_diff + PAGE
                await self._show()
        if self.together:
            self.call_after_refresh(self._scroll_to_pair, self.current_diff)
            return
        self.query_one(f"#turn-a-{self.current_diff}").scroll_visible(top=True, animate=False)
        self.query_one(f"#turn-b-{self.current_diff}").scroll_visible(top=True, animate=False)

    def _scroll_to_pair(self, index: int) -> None:
        rows = self.query_one(CompareRows)
        region = rows.region_of(index).translate(rows.virtual_region.offset)
        body = self.query_one("#compare-body", VerticalScroll)
        body.scroll_to_region(region, animate=False, top=True, immediate=True)

    async def action_swap(self) -> None:
        c = self.comparison
        self.comparison = self.engine.compare(c.b.id, c.a.id)
        await self._show()

    def _file_rows(self) -> list[Widget]:
        """Each file either side changed since the fork: its diff on each side."""
        from tui.engine.files.history import unified_diff

        c = self.comparison
        by_a = {s.path: s for s in c.files_a}
        by_b = {s.path: s for s in c.files_b}
        paths = list(dict.fromkeys([*by_a, *by_b]))
        if not paths:
            return [Static("Neither side changed a file since the fork point.", classes="empty")]

        def cell(span: FileSpan | None) -> Static:
            if span is None:
                return Static(
                    Text("(unchanged on this side)", "italic dim"), classes="compare-cell"
                )
            if not span.recorded:
                note = f"+{span.added} -{span.removed} (its contents were not kept)"
                return Static(Text(note, "dim"), classes="compare-cell")
            diff = unified_diff(self.engine.blobs, span)
            return Static(
                Syntax(diff, "diff", theme="ansi_dark", word_wrap=True),
                classes="compare-cell -differs",
            )

        rows: list[Widget] = []
        for path in paths:
            rows.append(Static(Text(path, "bold"), classes="compare-file"))
            rows.append(
                Horizontal(cell(by_a.get(path)), cell(by_b.get(path)), classes="compare-row")
            )
        return rows

    async def action_toggle_files(self) -> None:
        self.files_view = not self.files_view
        await self._show()

    async def action_toggle_lock(self) -> None:
        self.together = not self.together
        await self._show()
