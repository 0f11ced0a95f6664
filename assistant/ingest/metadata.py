"""Document parts: a file's blocks cut into its documents, each with its header, body and signature.

A file may hold several parts: a Quyết định followed by the Kế hoạch it issues,
or a plan followed by its Phụ lục.  Each part has its own header (motto, issuer,
"Số:", place and date, document type, title, "(Kèm theo …)") and trailer ("Nơi
nhận", signature).  Whatever follows a signature and does not start a new part is
web-page chrome and is dropped.
"""

from __future__ import annotations

import re

from ..records import Block
from .clean import is_header_start
from .header import Part, attached_line, bare, end_header, header_line, title_open_after
from .header_layout import normalise_header
from .patterns import (
    doc_type_of,
    is_authority,
    is_enacting,
    is_motto,
    is_person_name,
    is_pipe_only,
    is_position,
    is_recipients_head,
    is_signature_line,
    is_signed_mark,
    is_table_rule,
    is_upper,
)

# header fields: header.py; their layout: header_layout.py; issuer and places: locality.py
__all__ = ["Part", "split_parts"]


def split_parts(blocks: list[Block], source: str | None = None) -> tuple[list[Part], list[Block]]:
    """Split cleaned blocks into parts; returns the parts and the chrome dropped after signatures.

    ``source`` is the loader's text (block offsets point into it): its runs of spaces tell
    the two columns of a "Nơi nhận" / signature line apart after the loader collapsed them.
    """
    blocks = normalise_header(blocks, source)
    parts: list[Part] = []
    dropped: list[Block] = []
    cur = Part(start=blocks[0].start if blocks else 0)
    state = "header"
    title_open = False
    listing = False  # inside the "Nơi nhận:" list
    beside = False  # the signature column is read between the recipients (two columns, line by line)
    open_item = False  # the last recipient read has no closing ";" or "." yet
    for b in blocks:
        t = b.text.strip() if state in ("header", "body") else bare(b.text)
        if (
            state in ("trailer", "after")
            and (is_header_start(b) or b.kind == "table_row")
            and not is_authority(t)
            and not is_position(t)
        ):
            parts.append(cur)
            cur, state, title_open, listing, beside = Part(start=b.start), "header", False, False, False
            if b.kind == "table_row":
                _annex_title(cur, dropped)
        if state == "body" and (is_motto(t) or _new_appendix(t)) and cur.body:
            parts.append(cur)
            cur, state, title_open = Part(start=b.start), "header", False
        if state == "header":
            if b.kind != "table_row" and header_line(cur, b, title_open):
                title_open = cur.doc_type is not None and not cur.attached_to and title_open_after(cur, b)
                continue
            end_header(cur)
            state = "body"
        if state == "body":
            if is_recipients_head(t) or is_authority(t):
                state, listing = "trailer", False
            elif is_enacting(t):
                continue
            else:
                cur.body.append(b)
                continue
        if state == "after" and (is_recipients_head(t) or (listing and b.kind == "list_item")):
            state = "trailer"  # "Nơi nhận" printed after the signature column, or its list going on beside it
        if state == "trailer":
            if is_recipients_head(t):
                listing = True
                continue
            if listing and open_item and _continues(cur, b, t):
                # a recipient hard-wrapped in a PDF/print export ("- VPUB: CVP, các Phòng: ĐTQH," then
                # "TH, KGVX;"): each item of Nơi nhận ends with ";" or "." (Nghị định 30/2020/NĐ-CP,
                # Phụ lục I), so a bulletless line after an unfinished item is its continuation
                cur.recipients[-1] = f"{cur.recipients[-1]} {t}".rstrip(";.").strip()
                open_item = not t.endswith((";", "."))
                continue
            if b.kind == "list_item" and listing:
                item, right = _beside(t)
                # an en dash is Word's autocorrected hyphen bullet of the list (Nghị định 30/2020/NĐ-CP, Phụ lục I)
                cur.recipients.append(re.sub(r"^[-+•*–]\s*", "", item).rstrip(";.").strip())
                open_item = not item.rstrip().endswith((";", "."))
                beside = beside or bool(right or cur.authority or cur.position)
                if right is None or _signature_line(cur, right) != "signer":
                    continue
            else:
                read = _signature_line(cur, t)
                if read is None:
                    listing = False
                    dropped.append(b)
                if read != "signer":
                    continue
            # the name closes the signature; a list read beside it may still go on below the name
            state, listing = "after", listing and beside
            continue
        dropped.append(b)  # state "after": chrome after the signature
    if state == "header":
        end_header(cur)
    parts.append(cur)
    return [p for p in parts if p.body or p.doc_type or p.signer], dropped


def _annex_title(cur: Part, dropped: list[Block]) -> None:
    """An annex table after the signature takes its title back from the dropped lines.

    An annex sent with a plan (Nghị định 30/2020/NĐ-CP, Phụ lục I: an appendix's title in capitals,
    "(Kèm theo Kế hoạch số … ngày …)" under it) is headed "PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC …"
    before its table; read after the signature, those lines looked like page chrome, and the rows lost
    their table's title. Only that pattern is taken: capitals lines right before the "Kèm theo" line.
    """
    if not dropped or (att := attached_line(bare(dropped[-1].text))) is None:
        return
    k = len(dropped) - 1
    while k > 0 and is_upper(bare(dropped[k - 1].text)) and len(bare(dropped[k - 1].text)) < 300:
        k -= 1
    if k == len(dropped) - 1:
        return
    cur.title = " ".join(bare(b.text) for b in dropped[k:-1])
    cur.attached_to = att
    cur.start = dropped[k].start
    del dropped[k:]


def _signature_line(cur: Part, t: str) -> str | None:
    """Read one line of the signature column into ``cur``: "authority", "position", "mark", "signer" or None."""
    if is_authority(t):
        cur.authority.append(t)
        return "authority"
    if is_position(t):
        cur.position = t
        return "position"
    if is_signed_mark(t) or is_pipe_only(t) or is_table_rule(t):
        return "mark"  # "(đã ký)" stands where the signature was; it is not the signer
    if is_person_name(t) and (cur.authority or cur.position) and not cur.signer:
        cur.signer = t
        return "signer"
    return None


def _continues(cur: Part, b: Block, t: str) -> bool:
    """A line that may carry on the last recipient (whose item is unfinished): no new item, no
    signature line, no person's name (the signer under an open last item); abbreviations of
    offices in capitals ("TH, KGVX, NgV;") do carry an item on."""
    return (
        bool(cur.recipients)
        and len(t) <= 100
        and b.kind != "list_item"
        and not is_signature_line(t)
        and not is_person_name(t)
    )


def _beside(t: str) -> tuple[str, str | None]:
    """ "- Bộ Y tế; PHÓ CHỦ TỊCH": a recipient with the signature column printed on its line.

    The loader joined the two columns with one space; the recipient ends at its ";" or "."
    and what follows is an authority, a position, a signed mark or a name.
    """
    for m in reversed(list(re.finditer(r"[;.]\s+", t))):
        right = t[m.end() :].strip()
        if right and is_signature_line(right):
            return t[: m.start() + 1], right
    return t, None


def _new_appendix(t: str) -> bool:
    dt = doc_type_of(t)
    return dt is not None and dt[0] == "PHỤ LỤC" and (is_upper(t.split(":")[0]) or len(t) < 80)
