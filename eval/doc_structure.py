"""What a layout transform changes in the assistant's reading of a plan, without an index.

``python -m eval.doc_structure [--corpora provinces,laocai] [--transforms …] [--plans a.md,…]``
parses each development plan as written and as each transform of ``eval.doc_transforms``
rewrites it, and lists where the readings differ: the header and signature fields an official
reads (kind, number, date, issuer, signer), the passages (by their folded words), and each
matched passage's heading path, lead and partner units and kind. A meaning-preserving layout
should change none of them; every line printed is a reading that depends on layout. Cheap (no
model, no index): run it before ``eval.doc_perturb`` to see what its flips will come from.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.textnorm import fold, nfc

from .doc_transforms import DOC_TRANSFORMS

__all__ = ["Difference", "META_FIELDS", "reading_differences", "main"]

META_FIELDS = ("doc_type", "number", "date", "issuer", "province", "signer", "signer_position", "title")


@dataclass(frozen=True)
class Difference:
    """One field of the reading that a layout changed: where, what, before and after."""

    doc: str
    where: str  # "meta.<field>" | "passage" | "section" | "lead" | "partners" | "kind"
    before: str
    after: str


def _key(text: str) -> str:
    """A passage's words, folded: the identity of a passage whatever its layout."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(nfc(text))))


def _norm(value) -> str:
    if isinstance(value, (list, tuple)):
        return " / ".join(_norm(v) for v in value)
    return "" if value is None else " ".join(fold(nfc(str(value))).replace("*", " ").split())


def _section(path: Sequence[str]) -> list[str]:
    """A heading path by its words: "Phần III." and "III.", "1)" and "1.", "-" and "–" alike
    (the numbering style is the layout, the path is the reading)."""
    return [re.sub(r"^phan ", "", _key(h)) for h in path]


def reading_differences(name: str, before: str, after: str) -> list[Difference]:
    """Where the assistant reads ``after`` (a layout of ``before``) differently."""
    from assistant.ingest import parse_bytes

    a, b = parse_bytes(name, before.encode("utf-8")), parse_bytes(name, after.encode("utf-8"))
    out = [
        Difference(name, f"meta.{f}", str(getattr(a.meta, f)), str(getattr(b.meta, f)))
        for f in META_FIELDS
        if _norm(getattr(a.meta, f)) != _norm(getattr(b.meta, f))
    ]
    pa = {_key(p.text): p for p in a.passages if p.kind != "metadata"}
    pb = {_key(p.text): p for p in b.passages if p.kind != "metadata"}
    ka = Counter(_key(p.text) for p in a.passages if p.kind != "metadata")
    kb = Counter(_key(p.text) for p in b.passages if p.kind != "metadata")
    lost, new = ka - kb, kb - ka
    out += [Difference(name, "passage", pa[k].text[:160], "") for k in lost]
    out += [Difference(name, "passage", "", pb[k].text[:160]) for k in new]
    for k in pa.keys() & pb.keys():
        x, y = pa[k], pb[k]
        if _section(x.section) != _section(y.section):
            out.append(Difference(name, "section", f"{x.section} «{x.text[:60]}»", str(y.section)))
        for where in ("lead", "partners", "kind"):
            if _norm(getattr(x, where)) != _norm(getattr(y, where)):
                out.append(
                    Difference(name, where, f"{getattr(x, where)} «{x.text[:60]}»", str(getattr(y, where)))
                )
    return out


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval.doc_structure", description=__doc__.split("\n\n")[0])
    p.add_argument("--corpora", default="provinces,laocai", help="provinces,laocai")
    p.add_argument("--transforms", default=",".join(DOC_TRANSFORMS))
    p.add_argument("--plans", default="", help="only these file names (comma separated)")
    p.add_argument("--show", type=int, default=8, help="differences printed per transform")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from .doc_perturb import dev_plans
    from .realsuite import corpora, data_dir

    args = _parser().parse_args(sys.argv[1:] if argv is None else list(argv))
    names = set(args.corpora.split(","))
    only = {x for x in args.plans.split(",") if x}
    plans = [
        p
        for spec in corpora()
        if spec.name in names and not spec.rename
        for p in dev_plans(data_dir() / spec.folder)
        if not only or p.name in only
    ]
    print(
        "| transform | plans | header/signature fields | passages lost/new | section | lead | partners | kind |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    shown: dict[str, list[Difference]] = {}
    for tname in args.transforms.split(","):
        diffs: list[Difference] = []
        for p in plans:
            text = p.read_text(encoding="utf-8")
            diffs += reading_differences(p.name, text, DOC_TRANSFORMS[tname](text))
        c = Counter("meta" if d.where.startswith("meta.") else d.where for d in diffs)
        print(
            f"| {tname} | {len(plans)} | {c['meta']} | {c['passage']} | {c['section']} | {c['lead']} "
            f"| {c['partners']} | {c['kind']} |"
        )
        shown[tname] = diffs
    for tname, diffs in shown.items():
        for d in diffs[: args.show]:
            print(f"- {tname} {d.doc} {d.where}: «{d.before}» → «{d.after}»")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
