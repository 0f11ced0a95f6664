"""External check on ALQAC 2022/2023 (Vietnamese legal retrieval), read in place.

The set's license is unknown: it is read from its folder and written only to a
temporary directory; nothing of it (not even an example) goes into the repository
or the report — figures only.

Each law becomes a text plan whose articles read "Điều N. <title>" + body. Ours
indexes those files with its own pipeline (``parse_file`` through the normal index
build); the peers chunk the same texts. A passage is relevant when it belongs to
the gold article (its heading path or first line says "Điều N." in the gold law);
a chunk is relevant when it overlaps the gold article's characters by at least half
of the shorter of the two (a chunk holding the whole short article, or lying inside
a long one) — a fairer rule for the peers than "contains the 'Điều N.' start", since
the best chunk of a long article may be its middle.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.textnorm import fold

from .metrics import retrieval_figures
from .peers import BM25Chunks, DenseChunks, split_chunks
from .systems import open_assistant, passages_of, search_ids

__all__ = ["ALQAC_FILES", "run_alqac", "DEFAULT_BUDGET"]

ALQAC_FILES = {
    2022: ("alqac2022_law.json", "alqac2022_question.json"),
    2023: ("alqac2023_law.json", "alqac2023_train.json"),
}
# Characters of law text indexed by default. Ours and the LangChain peer each embed it
# once: 62 k characters took 125 s + 71 s on 2 shared cores (e5-small, 4-bit), so 120 k
# (two whole laws, ~100 questions) keeps the check within a few minutes.
DEFAULT_BUDGET = 120_000
K = 10
_ARTICLE = re.compile(r"(?i)^\s*(?:#+\s*)?\**\s*(?:điều|dieu)\s+(\d+[a-zđ]?)\s*[.:]")


@dataclass
class Law:
    year: int
    law_id: str
    doc: str
    text: str
    spans: dict[str, tuple[int, int]]  # article id → [start, end) in text
    n_questions: int = 0


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _slug(s: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", fold(s)).strip("-")


def _as_list(v):
    return json.loads(v) if isinstance(v, str) else v


def _law_text(year: int, law_id: str, articles: list[dict]) -> tuple[str, dict[str, tuple[int, int]]]:
    title = law_id if not re.match(r"^\d", law_id) else f"Luật số {law_id}"
    parts, spans, pos = [], {}, 0
    head = f"{title.upper()}\n\n"
    parts.append(head)
    pos += len(head)
    for a in articles:
        body = _nfc(a["text"]).strip()
        first, _, rest = body.partition("\n\n")
        block = f"Điều {a['id']}. {first.strip()}\n\n" + (f"{rest.strip()}\n\n" if rest.strip() else "")
        spans[str(a["id"])] = (pos, pos + len(block))
        parts.append(block)
        pos += len(block)
    return "".join(parts), spans


def load(path: Path) -> tuple[dict[tuple[int, str], Law], list[dict]]:
    laws: dict[tuple[int, str], Law] = {}
    questions: list[dict] = []
    for year, (law_file, q_file) in ALQAC_FILES.items():
        if not (path / law_file).exists() or not (path / q_file).exists():
            continue
        for law in json.loads((path / law_file).read_text(encoding="utf-8")):
            text, spans = _law_text(year, law["id"], _as_list(law["articles"]))
            laws[(year, law["id"])] = Law(
                year, law["id"], f"alqac{year}-{_slug(law['id'])[:60]}.txt", text, spans
            )
        for q in json.loads((path / q_file).read_text(encoding="utf-8")):
            gold = [(year, r["law_id"], str(r["article_id"])) for r in _as_list(q["relevant_articles"])]
            questions.append(
                {"id": f"{year}:{q.get('id') or q.get('question_id')}", "text": _nfc(q["text"]), "gold": gold}
            )
    for q in questions:
        for y, lid, _ in q["gold"]:
            if (y, lid) in laws:
                laws[(y, lid)].n_questions += 1
    return laws, questions


def select(laws: dict[tuple[int, str], Law], budget: int) -> list[Law]:
    """Laws with questions, densest in questions per character first, within ``budget`` chars."""
    cands = sorted(
        (law for law in laws.values() if law.n_questions),
        key=lambda law: law.n_questions / max(1, len(law.text)),
        reverse=True,
    )
    if budget <= 0:
        return cands
    chosen, total = [], 0
    for law in cands:
        if total + len(law.text) <= budget:
            chosen.append(law)
            total += len(law.text)
    return chosen


def _passage_article(p, law_by_doc: dict[str, Law]) -> str | None:
    for s in [*reversed(p.section), p.text]:
        m = _ARTICLE.match(s or "")
        if m:
            return m.group(1)
    law = law_by_doc.get(p.doc)
    if law and p.span:  # parser did not keep the heading: fall back to character offsets
        a, b = p.span
        for art, (s, e) in law.spans.items():
            if min(b, e) - max(a, s) >= 0.5 * min(b - a, e - s) > 0:
                return art
    return None


def run_alqac(
    path: Path,
    settings,
    embedder,
    work: Path,
    *,
    budget: int = DEFAULT_BUDGET,
    peers: bool = True,
    log: Callable[[str], None] = print,
) -> dict:
    """hit@1/3/5/10 and MRR of the gold article for ours and the two peers."""
    path = Path(path)
    if not path.is_dir() or not any((path / f[0]).exists() for f in ALQAC_FILES.values()):
        msg = f"ALQAC skipped: no ALQAC data at {path}"
        log(msg)
        return {"skipped": msg}
    t0 = time.perf_counter()
    laws, questions = load(path)
    chosen = select(laws, budget)
    keys = {(law.year, law.law_id) for law in chosen}
    qs = [q for q in questions if q["gold"] and all((y, lid) in keys for y, lid, _ in q["gold"])]
    corpus = Path(work) / "alqac-corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for law in chosen:
        (corpus / law.doc).write_text(law.text, encoding="utf-8")
    law_by_doc = {law.doc: law for law in chosen}
    doc_of = {(law.year, law.law_id): law.doc for law in chosen}
    golds = {q["id"]: {(doc_of[(y, lid)], art) for y, lid, art in q["gold"]} for q in qs}
    sample = {
        "laws": len(chosen),
        "laws_total": len(laws),
        "articles": sum(len(law.spans) for law in chosen),
        "articles_total": sum(len(law.spans) for law in laws.values()),
        "chars": sum(len(law.text) for law in chosen),
        "questions": len(qs),
        "questions_total": len(questions),
        "budget_chars": budget,
        "by_year": {str(y): sum(1 for q in qs if q["id"].startswith(f"{y}:")) for y in ALQAC_FILES},
    }
    log(f"  ALQAC: {sample['laws']} laws, {sample['articles']} articles, {sample['questions']} questions")
    out: dict = {"sample": sample, "systems": {}}

    t = time.perf_counter()
    s = settings.model_copy(
        update={
            "corpus_dir": corpus,
            "index_dir": Path(work) / "alqac-index",
            "data_dir": Path(work) / "alqac-data",
        }
    )
    assistant = open_assistant(s, embedder)
    passages = passages_of(assistant)
    art = {p.id: (p.doc, _passage_article(p, law_by_doc)) for p in passages}
    gold = {qid: {pid for pid, key in art.items() if key in g} for qid, g in golds.items()}
    t_index = time.perf_counter() - t
    rankings = {q["id"]: search_ids(assistant, q["text"], K) for q in qs}
    out["systems"]["ours"] = {
        "label": "Ours (hybrid)",
        "units": len(passages),
        "units_with_article": sum(1 for _, a in art.values() if a),
        "index_seconds": round(t_index, 1),
        **retrieval_figures(rankings, gold)["figures"],
    }
    if peers:
        t = time.perf_counter()
        chunks = split_chunks([(law.doc, law.text) for law in chosen])
        spans = {}
        for c in chunks:
            law = law_by_doc[c.doc]
            a, b = c.start, c.start + len(c.text)
            spans[c.id] = {
                (c.doc, art_id)
                for art_id, (s0, e0) in law.spans.items()
                if min(b, e0) - max(a, s0) >= 0.5 * min(b - a, e0 - s0)
            }
        cgold = {qid: {cid for cid, keys in spans.items() if keys & g} for qid, g in golds.items()}
        dense = DenseChunks(chunks, embedder)
        t_index = time.perf_counter() - t
        for name, label, index in (
            ("langchain", "LangChain tutorial (1000/200 + FAISS)", dense),
            ("bm25", "BM25 over the same chunks", BM25Chunks(chunks)),
        ):
            rk = {q["id"]: [c.id for c in index.search(q["text"], K)] for q in qs}
            out["systems"][name] = {
                "label": label,
                "units": len(chunks),
                **retrieval_figures(rk, cgold)["figures"],
            }
        out["systems"]["langchain"]["index_seconds"] = round(t_index, 1)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out
