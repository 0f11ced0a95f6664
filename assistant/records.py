"""Typed records that flow through the pipeline.

ingest → structure produce ``Block`` (loader output) and ``Passage`` / ``DocMeta``;
retrieve produces ``Hit``; answer produces ``Answer`` with ``Citation``.
Everything here is plain data (JSON round-trip via ``to_dict`` / ``from_dict``),
so the index never needs pickle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "Block",
    "Passage",
    "DocMeta",
    "ParsedDoc",
    "Hit",
    "Citation",
    "Answer",
    "PASSAGE_KINDS",
    "INTENTS",
    "REFUSAL_TEXT",
]

SCHEMA_VERSION = 1
PASSAGE_KINDS = ("article", "table_row", "footnote", "metadata")
INTENTS = ("lead_unit", "partner_unit", "unit_tasks", "fact", "list", "compare", "other")
REFUSAL_TEXT = "Thông tin này không có trong các kế hoạch đã nạp."  # says "không có trong các kế hoạch", as officials expect


def _from_dict(cls, data: dict[str, Any]):
    """Build a dataclass from a dict, turning JSON lists back into tuples."""
    kw = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        v = data[f.name]
        if isinstance(v, list) and "tuple" in str(f.type):
            v = tuple(tuple(x) if isinstance(x, list) else x for x in v)
        kw[f.name] = v
    return cls(**kw)


@dataclass(frozen=True)
class Block:
    """One unit of loader output, before structure is recognised.

    Loaders (txt/md/html, PDF, DOCX) all emit the same blocks so that the
    structure step never needs to know the source format.
    """

    text: str  # display text, markup removed, NFC, as written
    kind: str = "para"  # "para" | "heading" | "table_row" | "list_item"
    cells: tuple[str, ...] = ()  # table_row only: the cell texts, left to right
    level: int | None = None  # markdown heading level (#=1 …) when the source said so
    bold: bool = False  # the whole block was bold/strong in the source
    italic: bool = False  # the whole block was italic/em in the source
    page: int | None = None  # 1-based page (PDF); None for other formats
    start: int = 0  # character offsets into the loader's normalised source text
    end: int = 0


@dataclass(frozen=True)
class Passage:
    """A retrievable, citable unit: an article, a table row, a footnote or the metadata card."""

    id: str  # stable: doc slug + heading path + content hash
    doc: str  # file name of the plan, e.g. "dong-nai-2024-183-kh-ubnd.txt"
    kind: str  # one of PASSAGE_KINDS
    text: str  # display text, as written in the plan
    section: tuple[str, ...] = ()  # heading path, outermost first
    lead: tuple[str, ...] = ()  # canonical unit names that lead (chủ trì)
    partners: tuple[str, ...] = ()  # canonical unit names that coordinate (phối hợp)
    requested: tuple[str, ...] = ()  # units named with "Đề nghị" (requested, not assigned)
    # people the task is assigned to ("Nhiệm vụ | Người thực hiện" rows, "Ông X - Trưởng đoàn" items)
    persons: tuple[str, ...] = ()
    row: str | None = None  # table rows: the STT as written ("01")
    caption: str | None = None  # table rows: the table caption
    page: int | None = None  # PDF page of the passage start
    span: tuple[int, int] | None = None  # offsets into the loader's normalised text
    footnotes: tuple[str, ...] = ()  # ids of footnote passages whose markers appear here
    province: str | None = None  # province of the issuing body (canonical, e.g. "Đồng Tháp")
    district: str | None = None  # district when the plan is a district's (e.g. "Lấp Vò")
    embed_text: str = ""  # plan title + heading path + text (what the embedder sees)

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        p = _from_dict(cls, data)
        if p.span is not None and not isinstance(p.span, tuple):
            object.__setattr__(p, "span", tuple(p.span))
        return p


@dataclass
class DocMeta:
    """What an official reads in a plan's header and signature block."""

    doc: str  # file name
    title: str = ""
    number: str | None = None  # số ký hiệu, e.g. "183/KH-UBND"; None when blank in the plan
    number_text: str | None = None  # as written, e.g. "Số: /KH-UBND"
    doc_type: str | None = None  # "Kế hoạch" | "Quyết định" | "Phụ lục" | …
    issuer: str | None = None  # e.g. "Ủy ban nhân dân tỉnh Đồng Nai"
    province: str | None = None  # canonical province name
    district: str | None = None
    place: str | None = None  # place in the date line
    date: str | None = None  # ISO, possibly partial: "2024-05-23", "2024", "2023-02"
    date_text: str | None = None  # as written: "ngày tháng năm 2024"
    signer: str | None = None  # person's name
    signer_authority: str | None = None  # "TM." | "KT." | "Q." | "TL." …
    signer_position: str | None = None  # "CHỦ TỊCH", "PHÓ CHỦ TỊCH" …
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận"
    parts: list[dict[str, Any]] = field(default_factory=list)  # e.g. decision + attached plan
    sha256: str = ""
    passage_count: int = 0
    source_format: str = "txt"  # txt | md | pdf | docx

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocMeta:
        return _from_dict(cls, data)


@dataclass
class ParsedDoc:
    meta: DocMeta
    passages: list[Passage]


@dataclass(frozen=True)
class Hit:
    """One retrieval result."""

    passage: Passage
    score: float  # fused score, higher is better
    dense: float | None = None  # cosine similarity, when the dense side saw it
    lexical: float | None = None  # BM25 score, when the lexical side saw it
    rank: int = 0


@dataclass
class Citation:
    n: int
    passage_id: str
    doc: str
    title: str
    section: str
    text: str
    quote: str  # verbatim substring of text (enforced by answer layer)
    score: float
    related_only: bool = False  # shown as "possibly related" on refusals
    page: int | None = None
    kind: str = "article"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool = False
    intent: str = "other"
    units: dict[str, list[str]] = field(default_factory=lambda: {"lead": [], "partners": []})
    citations: list[Citation] = field(default_factory=list)
    notice: str | None = None  # e.g. "câu hỏi đã được rút gọn", "kế hoạch chưa được nạp"
    generator: str = "extractive"  # "extractive" | "llm:<model>"
    schema: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        # schema first, for readers who eyeball the JSON
        return {"schema": d.pop("schema"), **d}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        d = dict(data)
        d["citations"] = [Citation(**c) for c in d.get("citations", [])]
        return cls(**d)
