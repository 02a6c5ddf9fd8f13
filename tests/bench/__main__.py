"""Run every benchmark module, print one table and write .bench/results.json."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

from tests import bench
from tests.bench.common import Row


def main(argv: list[str]) -> int:
    wanted = set(argv)
    rows: list[Row] = []
    failed: list[str] = []
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        if wanted and info.name.removeprefix("bench_") not in wanted:
            continue
        module = importlib.import_module(f"tests.bench.{info.name}")
        start = time.perf_counter()
        print(f"running {info.name} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(module.run())
        except Exception as exc:  # one broken benchmark must not hide the others
            print(f"  FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed.append(info.name)
        print(f"  done in {time.perf_counter() - start:.1f}s", file=sys.stderr, flush=True)
    width = max((len(r.name) for r in rows), default=10)
    print(f"{'name':<{width}}  {'figure':>10}  {'unit':<8}  {'ratio':>7}  ok    reference")
    for r in rows:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        ok = {True: "yes", False: "NO", None: "-"}[r.ok]
        print(
            f"{r.name:<{width}}  {r.figure:>10.2f}  {r.unit:<8}  {ratio:>7}  {ok:<4}  {r.reference}"
        )
    out = Path(".bench")
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps([r.as_dict() for r in rows], indent=2))
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
