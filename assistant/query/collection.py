"""The catalogue narrowed by who issued the documents and what they are about.

"Những văn bản nào của Sở Công Thương", "Đã nạp những văn bản nào do Sở Công Thương Lào Cai ban
hành?", "Có kế hoạch nào về chuyển đổi số không?", "Sở Công Thương có những kế hoạch nào?": the
collection is asked, narrowed by the issuing body (the header's "cơ quan ban hành", Decree
30/2020, art. 8) or by the subject, which a document states in its trích yếu (its title: "Kế
hoạch … về …"). ``is_catalogue`` reads the bare catalogue; this module takes the issuer
and the subject clauses out first and says which loaded plans they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.query.catalog import Catalog
from assistant.query.catalog_words import word_pairs
from assistant.textnorm import fold

__all__ = [
    "CatalogueAsk",
    "catalogue_ask",
    "docs_issued_by",
    "docs_about",
    "issued_by_clause",
    "header_scope",
]


# "Các kế hoạch đã nạp?", "có bao nhiêu văn bản", "những kế hoạch nào của Nghệ An": the
# collection itself. The words below are all such a question may hold besides places and years.
# "đã tải lên" is how an official who uploaded the files says "đã nạp"; "… không?", "… chưa?" close
# a yes-no question ("Hệ thống có kế hoạch của Thanh Hóa không?")
_CATALOGUE = re.compile(
    r"\b(da nap|duoc nap|dang co|hien co|co trong he thong|danh sach|liet ke|bao nhieu|nhung|cac|nao|gi|tat ca|"
    r"toan bo|(da |duoc )?tai len|he thong co)\b"
)
_CATALOGUE_NOUN = re.compile(r"\b(ke hoach|van ban|tai lieu|cong van|quyet dinh|chi thi|kh|cv)\b")
_CATALOGUE_WORDS = frozenset(
    "ke hoach van ban tai lieu cong van quyet dinh chi thi thong bao kh cv da duoc nap dang hien co "
    "trong he thong danh sach liet ke bao nhieu nhung cac nao gi gom cua o tai tinh thanh pho nam "
    "xa phuong huyen ban hanh nay hien nay ubnd uy nhan dan so la hay cho toi biet the tat ca toan bo "
    "len khong chua".split()
)


def is_catalogue(folded: str) -> bool:
    """The question asks which plans are loaded (possibly of a place, kind or year named)."""
    f = " ".join(folded.split())
    if not (_CATALOGUE_NOUN.search(f) and _CATALOGUE.search(f)):
        return False
    if not re.search(
        r"\b(da nap|duoc nap|dang co|hien co|he thong|danh sach|liet ke|bao nhieu|nao|gi|tai len)\b"
        r"|^(cac|nhung|tat ca|toan bo)\b",
        f,
    ):
        return False
    words = [w for w in re.findall(r"[a-z0-9]+", f) if not w.isdigit()]
    return bool(words) and all(w in _CATALOGUE_WORDS for w in words)


@dataclass(frozen=True)
class CatalogueAsk:
    """A catalogue question's narrowing: the issuer and the subject as asked (folded), and the
    loaded plans they leave (``None``: the question narrows by neither)."""

    issuer: str = ""
    subject: str = ""
    among: frozenset[str] | None = None


# the kinds of issuing body a question names after "của/do" or opens with (Decree 30/2020: an
# office of the state apparatus, a department, an inspection team a decision sets up)
_BODY = (
    r"(?:uy ban nhan dan|ubnd|so|ban|doan kiem tra|doan|to kiem tra|chi cuc|cuc|tong cuc|bo|"
    r"van phong|thanh tra|hoi dong nhan dan)"
)
# words an issuer's name never holds: they end it ("… ban hành", "… về …", "… đã nạp")
_ISSUER_END = (
    r"(?=\s+(?:ban hanh|phat hanh|ky|lap|soan thao|da|duoc|ve|lien quan|co|gom|la|nao|gi|nam)\b|\s*\??\s*$)"
)
_OF_ISSUER = re.compile(rf"\b(?:cua|do)\s+(?P<issuer>{_BODY}(?:\s+[a-z0-9&]+){{0,8}}?){_ISSUER_END}")
_ISSUER_FIRST = re.compile(
    rf"^\s*(?P<issuer>{_BODY}(?:\s+[a-z0-9&]+){{0,8}}?)\s+(?:da\s+)?(?:co|ban hanh|phat hanh)\s+"
    r"(?:nhung|cac|bao nhieu)\b"
)
# the verbs of issuing after the issuer: part of the clause, not of the catalogue's words
_ISSUE_VERB = re.compile(r"^\s*(ban hanh|phat hanh|ky|lap|soan thao)\b")
# "về chuyển đổi số", "liên quan đến môi trường", "trong lĩnh vực y tế": the subject, to the end
_SUBJECT = re.compile(
    r"\b(?:ve|lien quan (?:den|toi)|(?:trong|thuoc) linh vuc|linh vuc)\s+(?P<subject>[a-z0-9 ,]+?)"
    r"(?P<tail>\s+(?:khong|chua|vay|a|nhi)|\s+(?:da|duoc) nap|\s+trong he thong)?\s*\??\s*$"
)
# "Các kế hoạch kiểm tra vật liệu nổ đã nạp", "Có những kế hoạch huấn luyện nào?": the title's
# words right after the kind, before the catalogue's own words
_NOUN_SUBJECT = re.compile(
    r"\b(?:ke hoach|van ban|cong van|quyet dinh)\s+(?P<subject>[a-z0-9 ]+?)\s+"
    r"(?P<tail>nao|(?:da|duoc) nap|trong he thong|hien co|dang co)\b"
)
# "Văn bản nào nói về …", "đề cập đến …": the verb before the subject asks nothing more
_SAYS = re.compile(r"\s+(?:noi|de cap(?: den| toi)?|viet)\s*$")
# a subject holding these asks something of the plans (who leads, what is assigned, a figure):
# a question about their content, not the catalogue
_ASKS_CONTENT = re.compile(
    r"\b(ai|gi|nao|bao nhieu|the nao|ra sao|giao|chu tri|phoi hop|nhiem vu|ky|thoi han|ngay|muc tieu)\b"
)
# words a title holds whatever it is about: no evidence of a subject
_SUBJECT_FILLER = frozenset("cac nhung viec van de cong tac hoat dong ke hoach van ban".split())


def _words(folded: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", folded)


def _issuer_form(folded: str) -> str:
    """An issuer's name compared word by word: "thuộc", "của" between a team and its department
    ("Đoàn kiểm tra thuộc Sở Công Thương") are left out, "UBND" is written in full."""
    words = [w for w in _words(folded) if w not in ("thuoc", "cua", "truc")]
    return re.sub(r"\bubnd\b", "uy ban nhan dan", " ".join(words))


def docs_issued_by(issuer: str, cat: Catalog) -> frozenset[str]:
    """The loaded plans whose header's issuer is ``issuer`` or a body under it ("Sở Công
    Thương" issues "Sở Công Thương tỉnh Lào Cai"'s plans and its inspection team's)."""
    asked = _issuer_form(issuer)
    if not asked:
        return frozenset()
    rx = re.compile(rf"(?<![a-z0-9]){re.escape(asked)}(?![a-z0-9])")
    # each issuer once, not each plan: a collection's plans share few issuers
    return frozenset(d for i, ds in cat.issuer_docs().items() if rx.search(_written_issuer(i)) for d in ds)


@lru_cache(maxsize=4096)
def _written_issuer(issuer: str) -> str:
    """A plan header's issuer as ``docs_issued_by`` compares it (folded, ``_issuer_form``)."""
    return _issuer_form(fold(issuer))


def docs_about(subject: str, cat: Catalog, among: frozenset[str] | None = None) -> frozenset[str]:
    """The loaded plans whose trích yếu (title) is about ``subject`` (folded): every word pair of
    the subject in the title (one word: the word), else the plans sharing the most of them, half
    at least. A document states its subject in its trích yếu (Decree 30/2020, art. 8)."""
    words = [w for w in _words(subject) if w not in _SUBJECT_FILLER]
    if not words:
        return frozenset()
    asked = word_pairs(" ".join(words)) if len(words) > 1 else {words[0]}
    shares: dict[str, float] = {}
    for title, ds in cat.title_docs().items():  # each title once: twins and copies share one
        have = [d for d in ds if cat.docs[d].title and (among is None or d in among)]
        if not have:
            continue
        share = len(asked & (word_pairs(title) | set(_words(title)))) / len(asked)
        shares.update(dict.fromkeys(have, share))
    best = max(shares.values(), default=0.0)
    if best < 0.5:
        return frozenset()
    return frozenset(d for d, s in shares.items() if s == best)


def catalogue_ask(folded: str, cat: Catalog) -> CatalogueAsk | None:
    """The catalogue question ``folded`` (places and numbers blanked) asks, narrowed by an issuer
    that issued loaded plans and by a subject; None when it is not a catalogue question."""
    f = " ".join(folded.split())
    subject = ""
    sm = _SUBJECT.search(f)
    if sm and not _ASKS_CONTENT.search(sm.group("subject")):
        subject = " ".join(sm.group("subject").replace(",", " ").split())
        f = _SAYS.sub("", f[: sm.start()])  # its tail ("… không?", "… đã nạp") asks nothing more
    elif (nm := _NOUN_SUBJECT.search(f)) and not _ASKS_CONTENT.search(nm.group("subject")):
        about = docs_about(nm.group("subject"), cat)
        said = set(_words(" ".join(cat.title_folded(d) for d in about)))
        if about and set(_words(nm.group("subject"))) <= said:  # every word a loaded title's
            subject = nm.group("subject")
            f = f[: nm.start("subject")] + f[nm.start("tail") :]
    issuer, named = "", frozenset[str]()
    im = _OF_ISSUER.search(f) or _ISSUER_FIRST.search(f)
    if im:
        named = docs_issued_by(im.group("issuer"), cat)
        if named:
            issuer = im.group("issuer")
            rest = f[im.end("issuer") :]
            rest = _ISSUE_VERB.sub(" ", rest)
            # the clause's "của/do" goes with it; "Sở X có những …" keeps its verb
            head = f[: im.start("issuer")]
            head = re.sub(r"\b(cua|do)\s*$", " ", head)
            f = f"{head} {rest}"
    if not (issuer or subject) or not is_catalogue(f):
        return None
    among: frozenset[str] | None = named if issuer else None
    if subject:
        among = docs_about(subject, cat, among)
    return CatalogueAsk(issuer=issuer, subject=subject, among=among)


# "Văn bản của Đoàn kiểm tra thuộc Sở Công Thương về vật liệu nổ yêu cầu …", "Theo kế hoạch do Sở
# Công Thương ban hành, …": a question opening on a document named by its issuing body asks about
# that body's documents; the body is their author, not a unit asked about
_DOC_OF = re.compile(
    # "Còn công văn của Cục Hóa chất thì sao?": a follow-up opens on "(vậy) còn" before the document
    r"^\s*(?:(?:vay|the)\s+)?(?:con\s+)?(?:(?:theo|trong|tai|o|voi)\s+)?"
    r"(?:ke hoach|kh|van ban|cong van|quyet dinh|chi thi|thong bao)\s+"
    rf"(?:cua|do)\s+(?P<words>{_BODY}(?:\s+[a-z0-9&]+){{0,9}})"
)


def issued_by_clause(folded: str, cat: Catalog) -> tuple[frozenset[str], str] | None:
    """(the loaded plans, the issuer as written) of a question opening on a document and its
    issuer ("Văn bản của Đoàn kiểm tra …"): the longest run of words after "của/do" that names
    the issuer of some, but not all, loaded plans; then the words after it that repeat one of
    their titles ("… về vật liệu nổ") narrow them. None when no such clause names an issuer."""
    m = _DOC_OF.match(" ".join(folded.split()))
    if not m:
        return None
    words = m.group("words").split()
    # the body's kind alone ("Sở", "Ban") names no issuer: "Kế hoạch của Sở Y tế …" is no Sở Công
    # Thương's plan because both are a "Sở"
    for n in range(len(words), 1, -1):
        docs = docs_issued_by(" ".join(words[:n]), cat)
        if docs and len(docs) < len(cat.docs):
            rest = " ".join(words[n:])
            titled = cat.docs_titled(rest, among=docs, min_pairs=1) if len(docs) > 1 and rest else frozenset()
            return (titled or docs), " ".join(words[:n])
    return None


# the words a header-card question holds besides the plan's name ("do ai ký", "ban hành ngày nào")
_HEADER_ASK_WORDS = frozenset(
    "ky ban hanh ngay nao so hieu ky hieu co quan don vi nguoi do ai ke hoach van ban nay day gui kinh noi "
    "nhan toi den cho la gi cua ve thang nam may thoi diem khi bao gio luc tinh thanh pho uy nhan dan "
    "ubnd".split()
)


def header_scope(terms: list[str], pool: frozenset[str], cat: Catalog) -> frozenset[str] | None:
    """The plans a header-card question ("Kế hoạch giảm nghèo của Cần Thơ ký ngày nào?") is about,
    among ``pool`` (the place's plans, or all): those whose trích yếu its other words repeat
    ("giảm nghèo": twins both), the whole pool when it says nothing else; None when its words name
    no title (they may be about something else: retrieval decides)."""
    words = [t for t in terms if t not in _HEADER_ASK_WORDS]
    if not words:
        return pool
    return docs_about(" ".join(words), cat, pool) or None
