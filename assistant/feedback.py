"""Append-only feedback from officials, and its export into candidate eval questions.

Storage: ``<data_dir>/feedback.jsonl``, one JSON object per line, each carrying
``"v": FEEDBACK_VERSION``.  A record is written with a single ``os.write`` of one
whole line on an ``O_APPEND`` descriptor, then fsync'd, so a crash can at worst
leave one truncated last line; the reader skips such a line and the next append
starts on a fresh line, so nothing already written is lost.

Export: ``python -m assistant.feedback export OUT.jsonl`` turns the records into
lines shaped like ``eval/questions.jsonl`` (id, question, kind, province, answer,
expected_any, expected_all, sources) plus a ``review`` block.  They are
*candidates*: a maintainer checks each one before it joins the gold set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import AssistantError

__all__ = [
    "FEEDBACK_VERSION",
    "RATINGS",
    "RATING_LABELS",
    "FeedbackError",
    "FeedbackStore",
    "StoreFeedback",
    "ReadResult",
    "make_record",
    "to_eval_lines",
    "main",
]

log = logging.getLogger(__name__)

FEEDBACK_VERSION = 1
RATINGS = ("useful", "not_useful", "wrong_source")
RATING_LABELS = {"useful": "Hữu ích", "not_useful": "Không hữu ích", "wrong_source": "Sai nguồn"}
EVAL_KINDS = ("lead_unit", "partner_unit", "unit_tasks", "fact", "list", "compare", "unanswerable")

# Bounds keep one record well under a page and stop a client from filling the disk.
MAX_QUESTION = 4000
MAX_ANSWER = 20000
MAX_COMMENT = 2000
MAX_CITATIONS = 50
MAX_QUOTE = 2000


class FeedbackError(AssistantError):
    code = "bad_feedback"
    status = 400


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _text(value: Any, limit: int, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FeedbackError(f"Trường '{name}' phải là văn bản.", f"Field '{name}' must be a string.")
    if len(value) > limit:
        raise FeedbackError(
            f"Trường '{name}' quá dài (tối đa {limit} ký tự).",
            f"Field '{name}' is too long (max {limit} characters).",
        )
    return value


def make_record(
    rating: str,
    question: str,
    answer: dict[str, Any] | None = None,
    *,
    comment: str = "",
    filters: dict[str, Any] | None = None,
    origin: str = "ui",
) -> dict[str, Any]:
    """Validate one piece of feedback and return the record to store.

    ``answer`` is the ``Answer.to_dict()`` the official saw (or None); only what the
    eval maintainers need is kept from it: the text, the intent, the units and, per
    citation, its number, passage id, plan and quote (not the whole passage text).
    """
    if rating not in RATINGS:
        raise FeedbackError(
            f"Đánh giá không hợp lệ: {rating!r}. Chọn một trong: {', '.join(RATINGS)}.",
            f"Invalid rating {rating!r}; expected one of {', '.join(RATINGS)}.",
        )
    question = _text(question, MAX_QUESTION, "question").strip()
    if not question:
        raise FeedbackError("Thiếu câu hỏi được đánh giá.", "The rated question is missing.")
    comment = _text(comment, MAX_COMMENT, "comment").strip()
    answer = answer or {}
    if not isinstance(answer, dict):
        raise FeedbackError(
            "Trường 'answer' phải là đối tượng JSON.", "Field 'answer' must be a JSON object."
        )
    cites_in = answer.get("citations") or []
    if not isinstance(cites_in, list) or len(cites_in) > MAX_CITATIONS:
        raise FeedbackError(
            f"Danh sách nguồn không hợp lệ (tối đa {MAX_CITATIONS}).",
            f"Invalid citations list (max {MAX_CITATIONS}).",
        )
    citations = []
    for c in cites_in:
        if not isinstance(c, dict):
            raise FeedbackError("Mỗi nguồn phải là đối tượng JSON.", "Each citation must be a JSON object.")
        citations.append(
            {
                "n": c.get("n") if isinstance(c.get("n"), int) else None,
                "passage_id": _text(c.get("passage_id"), 500, "passage_id"),
                "doc": _text(c.get("doc"), 500, "doc"),
                "quote": _text(c.get("quote"), MAX_QUOTE, "quote"),
                "related_only": bool(c.get("related_only", False)),
            }
        )
    raw_units = answer.get("units")
    units: dict[str, Any] = raw_units if isinstance(raw_units, dict) else {}
    return {
        "v": FEEDBACK_VERSION,
        "id": uuid.uuid4().hex,
        "ts": _now(),
        "origin": origin if origin in ("ui", "api") else "api",
        "rating": rating,
        "comment": comment,
        "question": question,
        "answer": _text(answer.get("answer"), MAX_ANSWER, "answer"),
        "refused": bool(answer.get("refused", False)),
        "intent": str(answer.get("intent") or "other")[:40],
        "units": {
            "lead": [str(u)[:300] for u in (units.get("lead") or [])][:50],
            "partners": [str(u)[:300] for u in (units.get("partners") or [])][:50],
        },
        "generator": str(answer.get("generator") or "")[:100],
        "filters": {str(k)[:50]: v for k, v in (filters or {}).items() if isinstance(v, (str, int, list))},
        "citations": citations,
    }


@dataclass
class ReadResult:
    records: list[dict[str, Any]]
    truncated: int = 0  # a half-written last line (crash mid-write)
    malformed: int = 0  # a damaged line elsewhere (kept out, file untouched)
    unknown_version: int = 0  # written by a newer version of the assistant
    problems: list[str] = field(default_factory=list)


class FeedbackStore:
    """Append-only JSONL file. Safe for threads of one process; appends from several
    processes do not interleave because each line is one O_APPEND write."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings) -> FeedbackStore | StoreFeedback:
        """The JSONL file in ``data_dir``; with a PostgreSQL store its ``feedback`` table, so every
        replica's feedback lands in one place (a replica's data folder is its own)."""
        if getattr(settings, "store", ""):
            return StoreFeedback(settings)
        return cls(Path(settings.data_dir) / "feedback.jsonl")

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        data = line.encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                # After a crash the file may end mid-line; start ours on a fresh line so
                # the broken one stays isolated and ours stays readable.
                size = os.fstat(fd).st_size
                if size:
                    with open(self.path, "rb") as fh:
                        fh.seek(size - 1)
                        if fh.read(1) != b"\n":
                            data = b"\n" + data
                view = memoryview(data)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            finally:
                os.close(fd)
        return record

    def add(self, rating: str, question: str, answer: dict[str, Any] | None = None, **kw) -> dict[str, Any]:
        return self.append(make_record(rating, question, answer, **kw))

    def read(self) -> ReadResult:
        result = ReadResult(records=[])
        if not self.path.exists():
            return result
        raw = self.path.read_bytes()
        lines = raw.split(b"\n")
        ends_clean = raw.endswith(b"\n")
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            last = i == len(lines) - 1
            try:
                rec = json.loads(line.decode("utf-8"))
                if not isinstance(rec, dict):
                    raise ValueError("not an object")
            except (ValueError, UnicodeDecodeError):
                if last and not ends_clean:
                    result.truncated += 1
                else:
                    result.malformed += 1
                    result.problems.append(f"line {i + 1}: not valid JSON")
                continue
            if rec.get("v") != FEEDBACK_VERSION:
                result.unknown_version += 1
                result.problems.append(f"line {i + 1}: version {rec.get('v')!r}")
                continue
            result.records.append(rec)
        if result.problems:
            log.warning("feedback %s: skipped %s", self.path, "; ".join(result.problems[:5]))
        return result


class StoreFeedback:
    """Feedback in the PostgreSQL store's ``feedback`` table: the same records and interface."""

    def __init__(self, settings) -> None:
        self.settings = settings

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        from .indexing import backend

        backend.pg_store(self.settings).add_feedback(record)
        return record

    def add(self, rating: str, question: str, answer: dict[str, Any] | None = None, **kw) -> dict[str, Any]:
        return self.append(make_record(rating, question, answer, **kw))

    def read(self) -> ReadResult:
        from .indexing import backend

        result = ReadResult(records=[])
        for rec in backend.pg_store(self.settings).feedback():
            if not isinstance(rec, dict) or rec.get("v") != FEEDBACK_VERSION:
                result.unknown_version += 1
                continue
            result.records.append(rec)
        return result


def _kind(rec: dict[str, Any]) -> str:
    if rec.get("refused") and rec.get("rating") == "useful":
        return "unanswerable"  # the official confirmed that the plans do not answer it
    intent = rec.get("intent") or "other"
    return intent if intent in EVAL_KINDS else "fact"


def _province(rec: dict[str, Any]) -> str | None:
    p = (rec.get("filters") or {}).get("province")
    return p if isinstance(p, str) and p else None


def to_eval_lines(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One candidate eval question per distinct question (whitespace/case folded).

    A question's gold fields are filled only from answers rated useful; answers
    rated not useful or wrong-source are listed under ``review`` so the maintainer
    writes the gold answer from the plan.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        key = " ".join(rec.get("question", "").split()).casefold()
        if key:
            groups.setdefault(key, []).append(rec)
    out = []
    for key, recs in groups.items():
        recs.sort(key=lambda r: r.get("ts", ""))
        useful = [r for r in recs if r.get("rating") == "useful"]
        best = useful[-1] if useful else recs[-1]
        kind = _kind(best)
        gold_ok = bool(useful) and kind != "unanswerable"
        expected: list[str] = []
        if gold_ok and kind == "lead_unit":
            expected = list(best["units"].get("lead", []))
        elif gold_ok and kind == "partner_unit":
            expected = list(best["units"].get("partners", []))
        sources = []
        if gold_ok:
            sources = [
                {"doc": c["doc"], "quote": c["quote"]}
                for c in best.get("citations", [])
                if not c.get("related_only") and c.get("doc") and c.get("quote")
            ][:3]
        ratings = {r: sum(1 for x in recs if x.get("rating") == r) for r in RATINGS}
        wrong = sorted(
            {
                c["passage_id"]
                for r in recs
                if r.get("rating") == "wrong_source"
                for c in r.get("citations", [])
                if c.get("passage_id")
            }
        )
        out.append(
            {
                "id": "fb-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10],
                "question": best["question"],
                "kind": kind,
                "province": _province(best),
                "answer": best.get("answer", "") if (useful or kind == "unanswerable") else "",
                "expected_any": expected,
                "expected_all": [],
                "sources": sources,
                "review": {
                    "status": "needs_review",
                    "ratings": ratings,
                    "comments": [r["comment"] for r in recs if r.get("comment")],
                    "wrong_source_passages": wrong,
                    "generator": best.get("generator", ""),
                    "first_seen": recs[0].get("ts"),
                    "last_seen": recs[-1].get("ts"),
                },
            }
        )
    return out


def _export(args: argparse.Namespace) -> int:
    from .settings import Settings

    settings = None if args.feedback else Settings()
    if settings is not None and settings.store:  # the PostgreSQL store's table (TLKH_STORE)
        res = StoreFeedback(settings).read()
    else:
        path = Path(args.feedback) if args.feedback else Path(Settings().data_dir) / "feedback.jsonl"
        if not path.exists():
            print(
                f"Chưa có góp ý nào: không thấy tệp {path}.\nNo feedback yet: {path} does not exist.",
                file=sys.stderr,
            )
            return 1
        res = FeedbackStore(path).read()
    lines = to_eval_lines(res.records)
    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    os.replace(tmp, out)
    print(
        f"Đã xuất {len(lines)} câu hỏi (từ {len(res.records)} góp ý) vào {out}; "
        f"bỏ qua: {res.truncated} dòng dở dang, {res.malformed} dòng hỏng, "
        f"{res.unknown_version} dòng phiên bản lạ.",
        file=sys.stderr,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assistant.feedback",
        description="Góp ý của cán bộ → câu hỏi đánh giá (eval) để rà soát.",
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    exp = sub.add_parser("export", help="Xuất góp ý thành các dòng dạng eval/questions.jsonl.")
    exp.add_argument("out", help="Tệp JSONL đầu ra.")
    exp.add_argument("--feedback", help="Tệp feedback.jsonl (mặc định: <data_dir>/feedback.jsonl).")
    args = parser.parse_args(argv)
    return _export(args)


if __name__ == "__main__":
    raise SystemExit(main())
