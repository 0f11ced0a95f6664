"""Validator of the gold question set ``eval/questions.jsonl``.

The gold set is only worth its figures if every line is checkable by a person:
each answerable question points at a verbatim span of a plan, each tag means what
it says, and the mix of kinds/tags/plans is wide enough that one lucky rule cannot
carry the score. ``validate`` returns the problems (empty list = clean);
``python -m eval.validate [PATH]`` prints them and exits 1 when there is any.

Quotes are compared with the *raw* plan text, byte for byte after UTF-8 decoding:
no normalisation, so a retyped diacritic or a curly quote turned straight is caught.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT",
    "CORPUS",
    "KINDS",
    "TAGS",
    "PLAN_SUFFIXES",
    "QUOTAS",
    "PROBE_QUOTAS",
    "fold",
    "load_questions",
    "summary",
    "validate",
    "main",
]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = Path(__file__).resolve().parent / "questions.jsonl"
CORPUS = ROOT / "corpus"
PLAN_SUFFIXES = (".txt", ".md", ".pdf", ".docx")

KINDS = ("lead_unit", "partner_unit", "unit_tasks", "fact", "list", "compare", "unanswerable")
TAGS = ("no_diacritics", "abbreviation", "paraphrase")

# The floors; raising them is a deliberate edit here.
QUOTAS: dict[str, float] = {
    "min_questions": 130,
    "min_per_kind": 8,
    "min_per_plan": 15,
    "min_tag_share": 0.15,  # each of TAGS
    "min_unanswerable_share": 0.10,
}

# eval/probe: 37 questions over 3 invented plans in other layouts (see its README)
PROBE_QUOTAS: dict[str, float] = {
    "min_questions": 37,
    "min_per_kind": 1,
    "min_per_plan": 8,
    "min_tag_share": 0.12,
    "min_unanswerable_share": 0.10,
}

_FIELDS: dict[str, Any] = {
    "id": str,
    "question": str,
    "kind": str,
    "province": (str, type(None)),
    "answer": str,
    "expected_any": list,
    "expected_all": list,
    "sources": list,
    "no_diacritics": bool,
    "abbreviation": bool,
    "paraphrase": bool,
}
_ID = re.compile(r"^q\d{3,}$")
_QUOTE_MIN, _QUOTE_MAX = 30, 200
# Characters that only exist in the raw file's markup (HTML tags, markdown emphasis, table
# cells); a quote holding them cannot be found in the parsed passage an answer cites.
_MARKUP = re.compile(r"[<>*\t\r\n|]")
# Abbreviation tokens officials type: UBND, TT&TT, QĐ, KH, BCHQS, PT-TH, ĐT …
_ABBR_TOKEN = re.compile(r"(?<![\w&])([A-ZĐ]{2,}(?:[&\-][A-ZĐ]+)*|[A-Za-zĐđ]+&[A-Za-zĐđ]+)(?![\w&])")
_ABBR_LOWER = {
    "ubnd",
    "kh",
    "qd",
    "tttt",
    "tt&tt",
    "vhttdl",
    "bchqs",
    "ttdn",
    "hdnd",
    "mttq",
    "ubmttq",
    "nn&ptnt",
    "kh&dt",
    "kh&cn",
    "gtvt",
    "tn&mt",
    "bdbp",
    "tc-kh",
    "pt-th",
    "pvhtt",
    "mxh",
}


def fold(text: str) -> str:
    """Accent- and case-folded text, for the self-consistency checks only."""
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if unicodedata.category(c) != "Mn").replace("đ", "d")


def load_questions(path: Path | str = DEFAULT) -> list[dict]:
    """The question dicts, in file order. Raises ``ValueError`` on a line that is not a JSON object."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise ValueError(f"line {n}: not a JSON object")
        out.append(obj)
    return out


def _plans(corpus: Path) -> list[str]:
    return sorted(p.name for p in corpus.iterdir() if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES)


def summary(questions: list[dict]) -> dict[str, Any]:
    """Counts per kind, per plan (questions citing it), per tag, and the shares the quotas use."""
    n = len(questions)
    kinds = Counter(q.get("kind") for q in questions)
    plans: Counter[str] = Counter()
    for q in questions:
        for doc in {s.get("doc") for s in q.get("sources") or [] if isinstance(s, dict)}:
            plans[doc] += 1
    tags = {t: sum(1 for q in questions if q.get(t) is True) for t in TAGS}
    return {
        "n": n,
        "by_kind": {k: kinds.get(k, 0) for k in KINDS},
        "by_plan": dict(sorted(plans.items())),
        "by_tag": tags,
        "tag_share": {t: (c / n if n else 0.0) for t, c in tags.items()},
        "unanswerable_share": kinds.get("unanswerable", 0) / n if n else 0.0,
        "by_province": dict(Counter(str(q.get("province")) for q in questions)),
    }


def _is_whole_short_line(quote: str, text: str) -> bool:
    """A name on its own line (the signer) is shorter than 30 chars yet fully identifies its passage."""
    if len(quote) < 8:
        return False
    return any(line.strip().strip("*#_ ").strip() == quote for line in text.splitlines())


def _has_abbreviation(question: str) -> bool:
    if _ABBR_TOKEN.search(question):
        return True
    return any(tok in _ABBR_LOWER for tok in re.findall(r"[\w&\-]+", fold(question)))


def _check_line(q: dict, where: str, texts: dict[str, str | None], corpus: Path) -> list[str]:
    bad: list[str] = []
    for key, typ in _FIELDS.items():
        if key not in q:
            bad.append(f"{where}: thiếu trường / missing field '{key}'")
        elif not isinstance(q[key], typ) or (typ is str and not q[key].strip()):
            bad.append(f"{where}: trường '{key}' sai kiểu hoặc rỗng / wrong type or empty: {q[key]!r}")
    extra = set(q) - set(_FIELDS)
    if extra:
        bad.append(f"{where}: trường lạ / unknown fields {sorted(extra)}")
    if bad:
        return bad
    if not _ID.match(q["id"]):
        bad.append(f"{where}: id phải dạng q001 / id must look like q001")
    if q["kind"] not in KINDS:
        bad.append(f"{where}: kind '{q['kind']}' không hợp lệ / not one of {KINDS}")
    for key in ("expected_any", "expected_all"):
        if not all(isinstance(s, str) and s.strip() for s in q[key]):
            bad.append(f"{where}: {key} phải là danh sách chuỗi không rỗng / must hold non-empty strings")
            return bad

    unanswerable = q["kind"] == "unanswerable"
    if unanswerable != (not q["sources"]):
        bad.append(
            f"{where}: unanswerable ⇔ sources rỗng / unanswerable iff sources is empty "
            f"(kind={q['kind']}, {len(q['sources'])} sources)"
        )
    if unanswerable and (q["expected_any"] or q["expected_all"]):
        bad.append(
            f"{where}: câu không trả lời được không có chuỗi kỳ vọng / unanswerable has no expected strings"
        )
    if not unanswerable:
        if not (q["expected_any"] or q["expected_all"]):
            bad.append(f"{where}: cần expected_any hoặc expected_all / needs expected_any or expected_all")
        # The gold answer must pass its own check, or the expected strings are mistyped.
        ans = fold(q["answer"])
        missing = [s for s in q["expected_all"] if fold(s) not in ans]
        if missing:
            bad.append(f"{where}: đáp án thiếu expected_all / gold answer lacks {missing}")
        if q["expected_any"] and not any(fold(s) in ans for s in q["expected_any"]):
            bad.append(
                f"{where}: đáp án không chứa chuỗi nào của expected_any / gold answer holds none of {q['expected_any']}"
            )

    docs = set()
    for i, src in enumerate(q["sources"]):
        if not (
            isinstance(src, dict)
            and set(src) == {"doc", "quote"}
            and isinstance(src["doc"], str)
            and isinstance(src["quote"], str)
        ):
            bad.append(f"{where}: sources[{i}] phải là {{doc, quote}} / must be {{doc, quote}}: {src!r}")
            continue
        doc, quote = src["doc"], src["quote"]
        docs.add(doc)
        if doc not in texts:
            path = corpus / doc
            texts[doc] = (
                path.read_text(encoding="utf-8") if path.is_file() and path.parent == corpus else None
            )
        text = texts[doc]
        if text is None:
            bad.append(f"{where}: không có văn bản / no such plan in corpus/: {doc!r}")
            continue
        if _MARKUP.search(quote):
            bad.append(
                f"{where}: trích dẫn chứa thẻ/markup hoặc xuống dòng / quote holds markup or a line break: «{quote}»"
            )
        if not (_QUOTE_MIN <= len(quote) <= _QUOTE_MAX) and not _is_whole_short_line(quote, text):
            bad.append(
                f"{where}: trích dẫn dài {len(quote)} ký tự, cần {_QUOTE_MIN}–{_QUOTE_MAX} / "
                f"quote length out of range: «{quote}»"
            )
        if quote not in text:
            bad.append(
                f"{where}: trích dẫn không có nguyên văn trong {doc} / quote not verbatim in {doc}: «{quote}»"
            )
    if q["kind"] == "compare" and len(docs) < 2:
        bad.append(
            f"{where}: câu so sánh cần nguồn từ ≥2 kế hoạch / compare needs sources from two or more plans"
        )

    question = q["question"]
    ascii_only = all(ord(c) < 128 for c in unicodedata.normalize("NFC", question))
    if q["no_diacritics"] != ascii_only:
        bad.append(
            f"{where}: no_diacritics={q['no_diacritics']} nhưng câu hỏi {'không ' if ascii_only else ''}có dấu / "
            f"tag disagrees with the text"
        )
    if q["abbreviation"] and not _has_abbreviation(question):
        bad.append(
            f"{where}: gắn abbreviation nhưng không thấy chữ viết tắt / tagged abbreviation, none found"
        )
    return bad


def validate(
    path: Path | str = DEFAULT, corpus_dir: Path | str = CORPUS, quotas: dict[str, float] | None = None
) -> list[str]:
    """Every problem of the gold set at ``path`` against the plans in ``corpus_dir``; [] when clean.

    ``quotas`` replaces :data:`QUOTAS` for a smaller set (the probe set of ``eval/probe``).
    """
    path, corpus = Path(path), Path(corpus_dir).resolve()
    quota = {**QUOTAS, **(quotas or {})}
    if not path.is_file():
        return [f"không có tệp / no such file: {path}"]
    problems: list[str] = []
    questions: list[dict] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            problems.append(f"dòng {n}: dòng trống / blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"dòng {n}: JSON hỏng / invalid JSON: {e}")
            continue
        if not isinstance(obj, dict):
            problems.append(f"dòng {n}: không phải object / not a JSON object")
            continue
        questions.append(obj)
    texts: dict[str, str | None] = {}
    seen_ids: Counter[str] = Counter(str(q.get("id")) for q in questions)
    seen_q: Counter[str] = Counter(fold(str(q.get("question", ""))).strip() for q in questions)
    for q in questions:
        problems += _check_line(q, str(q.get("id", "?")), texts, corpus)
    problems += [f"{i}: id trùng / duplicate id ({c}×)" for i, c in seen_ids.items() if c > 1]
    problems += [f"câu hỏi trùng / duplicate question ({c}×): {t!r}" for t, c in seen_q.items() if c > 1]

    s = summary(questions)
    if s["n"] < quota["min_questions"]:
        problems.append(f"chỉ có {s['n']} câu, cần ≥{quota['min_questions']} / too few questions")
    for kind, c in s["by_kind"].items():
        if c < quota["min_per_kind"]:
            problems.append(f"kind {kind}: {c} câu, cần ≥{quota['min_per_kind']} / too few of this kind")
    plans = _plans(corpus) if corpus.is_dir() else []
    if not plans:
        problems.append(f"không thấy kế hoạch nào / no plans in {corpus}")
    for plan in plans:
        c = s["by_plan"].get(plan, 0)
        if c < quota["min_per_plan"]:
            problems.append(
                f"kế hoạch {plan}: {c} câu dẫn nguồn, cần ≥{quota['min_per_plan']} / too few questions cite it"
            )
    for tag, share in s["tag_share"].items():
        if share < quota["min_tag_share"]:
            problems.append(f"tag {tag}: {share:.1%} < {quota['min_tag_share']:.0%} / tag quota not met")
    if s["unanswerable_share"] < quota["min_unanswerable_share"]:
        problems.append(
            f"unanswerable: {s['unanswerable_share']:.1%} < {quota['min_unanswerable_share']:.0%} "
            f"/ unanswerable quota not met"
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT
    problems = validate(path)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} lỗi / problems in {path}", file=sys.stderr)
        return 1
    s = summary(load_questions(path))
    print(f"OK: {s['n']} câu hỏi / questions in {path}")
    print("theo loại / by kind:", json.dumps(s["by_kind"], ensure_ascii=False))
    print("theo kế hoạch / by plan:", json.dumps(s["by_plan"], ensure_ascii=False))
    print(
        "theo nhãn / by tag:",
        json.dumps(s["by_tag"], ensure_ascii=False),
        "| unanswerable:",
        f"{s['unanswerable_share']:.1%}",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
