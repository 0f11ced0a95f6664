"""The benchmark's tables (``eval.bench``): a plain Markdown table, the in-process scales, and the
in-process and PostgreSQL figures side by side."""

from __future__ import annotations

import numpy as np

__all__ = ["_pg_table", "_scale_table", "_table"]


def _table(title: str, header: list[str], rows: list[list]) -> str:
    def fmt(c) -> str:
        if isinstance(c, str):
            return c
        if isinstance(c, (float, np.floating)):
            if c != c:
                return "-"
            return f"{c:,.0f}" if abs(c) >= 100 else f"{c:.2f}" if abs(c) >= 1 else f"{c:.3f}"
        return f"{c:,}"

    cells = [[str(c) for c in header]] + [[fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([f"\n{title}", line(cells[0]), sep, *(line(r) for r in cells[1:])])


def _scale_table(rows: list[dict], k: int) -> str:
    base = next((r for r in rows if "p50_ms" in r), None)
    body = []
    for r in rows:
        if "error" in r:
            body.append([f"×{r['scale']}", r["error"], *["-"] * 12])
            continue
        body.append(
            [
                f"×{r['scale']}",
                r["passages"],
                r["index"],
                r["build_s"],
                r["p50_ms"],
                r["p95_ms"],
                r["cpu_p50_ms"],
                r["cpu_p95_ms"],
                r["dense_p50_ms"],
                r["recall10"],
                r["parse_p50_ms"],
                round(r["peak_mb"]),
                r["passages"] / base["passages"] if base else "-",
                r["p95_ms"] / base["p95_ms"] if base else "-",
            ]
        )
    return _table(
        f"In-process hybrid search, ms (k={k}; retrieval only: the question's embedding and parsing excluded; "
        "ratios against the first scale)",
        [
            "scale",
            "passages",
            "index",
            "build s",
            "p50",
            "p95",
            "CPU p50",
            "CPU p95",
            "dense p50",
            "recall@10",
            "parse p50",
            "peak MB",
            "× passages",
            "× p95",
        ],
        body,
    )


def _pg_table(rows: list[dict], pg_rows: list[dict]) -> str:
    """In-process and PostgreSQL side by side (``eval.bench_pg.measure``'s rows, by scale). The
    PostgreSQL hybrid is its first pass after the replica loads (caches cold), "pg parsed" its search
    from the question already parsed (the old / new alternation's new side), "pg lex overlap" the
    lexical top 50's tie-aware share of the exact BM25 top 50, "pg built" when the database was
    built (a kept one is searched again: ``--pg-keep``)."""
    by_scale = {r.get("scale"): r for r in pg_rows}
    cols = [  # (header, in-process key or None, PostgreSQL key or None)
        ("passages", "passages", None),
        ("in-proc p50", "p50_ms", None),
        ("in-proc p95", "p95_ms", None),
        ("in-proc CPU p95", "cpu_p95_ms", None),
        ("recall@10", "recall10", None),
        ("in-proc peak MB", "peak_mb", None),
        ("pg p50", None, "hybrid_p50_ms"),
        ("pg p95", None, "hybrid_p95_ms"),
        ("pg parsed p50", None, "search_new_p50_ms"),
        ("pg parsed p95", None, "search_new_p95_ms"),
        ("pg lex overlap", None, "lexical_top50_overlap"),
        ("pg recall@10", None, "recall_at_10"),
        ("pg insert s", None, "insert_s"),
        ("pg DB MB", None, "db_mb"),
        ("pg search peak MB", None, "search_peak_mb"),
        ("pg built", None, "when"),
    ]
    body = []
    for r in rows:
        g = by_scale.get(r["scale"], {})
        cells = [r.get(a, "-") if a else g.get(b, "-") for _, a, b in cols]
        body.append([f"×{r['scale']}", *cells])
    return _table("In process vs PostgreSQL (ms)", ["scale", *(h for h, _, _ in cols)], body)
