"""What Word shows of a body, a table cell and a paragraph, where python-docx reads less.

python-docx yields only the direct paragraphs and tables of a body or a cell, and only the direct
runs and hyperlinks of a paragraph. Word shows more, and plans as their offices save them use it:

- content controls (``w:sdt``) around paragraphs, tables or runs: the fill-in fields of a
  department's template (number, date, recipient), and whole blocks of a form;
- tracked changes of a draft still under review ("Dự thảo", sent round for comments): Word shows
  the insertions (``w:ins``, ``w:moveTo``) and strikes the deletions out (``w:del``,
  ``w:moveFrom``); the text read is the draft as it would stand accepted;
- smart tags, custom XML, simple fields (``w:fldSimple``: a date or a number drawn by a field),
  and text direction wrappers around runs;
- a table inside a table cell (a sub-table of members or of deadlines in one row of a plan's
  annex): its rows are lines of the cell, cells joined by " | ".

Runs are not entered: a text box anchored in a run holds its own paragraphs (a "DỰ THẢO" stamp,
a floating header field) and is not part of the paragraph's line.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["block_items", "paragraph_runs", "footnote_numbers", "footnote_refs", "footnote_texts"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# wrappers whose content Word shows as if it stood in their place
_BLOCK_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo"}
_RUN_WRAPPERS = {
    _W + "hyperlink",
    _W + "ins",
    _W + "moveTo",
    _W + "smartTag",
    _W + "sdt",
    _W + "sdtContent",
    _W + "customXml",
    _W + "fldSimple",
    _W + "dir",
    _W + "bdo",
}


def _blocks(el) -> Iterator:
    for child in el.iterchildren():
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _blocks(child)


def block_items(container, parent) -> Iterator:
    """Paragraphs and tables of a body or a cell element, in order, content controls opened."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for el in _blocks(container):
        yield Paragraph(el, parent) if el.tag == _W + "p" else Table(el, parent)


def _runs(el) -> Iterator:
    for child in el.iterchildren():
        if child.tag == _W + "r":
            yield child
        elif child.tag in _RUN_WRAPPERS:
            yield from _runs(child)


def paragraph_runs(p) -> Iterator:
    """The runs Word shows in paragraph ``p`` (python-docx ``Paragraph``), in order."""
    from docx.text.run import Run

    for r in _runs(p._p):
        yield Run(r, p)


# --- footnotes -----------------------------------------------------------------------------------
# Word numbers footnotes 1, 2, 3 … in the order their references stand in the body (the w:id of a
# footnote is only a key); a plan's footnotes give the documents a line cites ("Đặc biệt: Luật …").


def footnote_numbers(document) -> dict[str, int]:
    """footnote id → the number Word prints at its reference, in body order."""
    out: dict[str, int] = {}
    for ref in document.element.body.iter(_W + "footnoteReference"):
        if ref.get(_W + "customMarkFollows") in ("1", "true"):
            continue  # the author typed a mark of their own after the reference
        fid = ref.get(_W + "id")
        if fid is not None and fid not in out:
            out[fid] = len(out) + 1
    return out


def footnote_refs(run) -> list[str]:
    """Ids of the footnotes referenced in a run (python-docx ``Run``)."""
    return [fid for ref in run._r.iterchildren(_W + "footnoteReference") if (fid := ref.get(_W + "id"))]


def footnote_texts(document) -> dict[str, str]:
    """footnote id → its text (paragraphs joined by a space); {} without a footnotes part."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    try:
        part = document.part.part_related_by(RT.FOOTNOTES)
        root = getattr(part, "element", None)
        if root is None:
            root = etree.fromstring(part.blob)
    except (KeyError, AttributeError, ValueError, etree.LxmlError):
        return {}  # no footnotes part, or one that does not parse: the body reads without them
    out = {}
    for fn in root.iterchildren(_W + "footnote"):
        if fn.get(_W + "type") not in (None, "normal") or fn.get(_W + "id") is None:
            continue  # the separator lines Word draws above the notes
        paras = []
        for p in fn.iter(_W + "p"):
            words = []
            for r in _runs(p):
                for el in r.iterchildren():
                    if el.tag == _W + "t":
                        words.append(el.text or "")
                    elif el.tag in (_W + "tab", _W + "br"):
                        words.append(" ")
            paras.append("".join(words))
        text = " ".join(" ".join(paras).split())
        if text:
            out[fn.get(_W + "id")] = text
    return out
