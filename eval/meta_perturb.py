"""Header and signature robustness in seconds (issue 12 class 6): does a plan's metadata survive how it is
written and converted?

``python -m eval.meta_perturb [--corpora provinces,laocai] [--transforms unwrap,en_dash,…]`` reads
each *development* plan of the real-plan corpora (the test split's plans are never read), rewrites it
with each transform of ``eval.doc_transforms`` and compares what the parser reads from its header and
signature block (Nghị định 30/2020/NĐ-CP, Phụ lục I: kind, number, date, trích yếu, issuer, signer,
Nơi nhận) with what it reads from the plan as published. No index is built and no question asked
(``eval.doc_perturb`` does that, in minutes): a flip here is a header layout the parser does not read.
Values are compared accent- and dash-folded, so a transform that only respells ("Tỉnh uỷ", "2026 –
2030") is no flip.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest import parse_bytes
from assistant.textnorm import fold

from .doc_transforms import DOC_TRANSFORMS, chosen_transforms

__all__ = ["FIELDS", "MetaFlip", "header_fields", "meta_flips", "main"]

# the header's fields (Nghị định 30/2020/NĐ-CP, Phụ lục I) and the signature block's
FIELDS = ("doc_type", "number", "date", "title", "issuer", "signer", "signer_position", "recipients")


@dataclass(frozen=True)
class MetaFlip:
    plan: str
    transform: str
    field: str
    published: str
    transformed: str


def _norm(value: object) -> str:
    text = "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
    return " ".join(fold(text.replace("–", "-").replace("—", "-")).split())


def header_fields(name: str, text: str) -> dict[str, str]:
    """The header and signature fields the parser reads from ``text`` (named ``name``), folded."""
    meta = parse_bytes(name, text.encode("utf-8")).meta
    return {f: _norm(getattr(meta, f)) for f in FIELDS}


def meta_flips(plans: Sequence[Path], transforms: Sequence[str]) -> list[MetaFlip]:
    """Every field of every plan that a transform changes."""
    flips = []
    for p in plans:
        text = p.read_text(encoding="utf-8")
        published = header_fields(p.name, text)
        for t in transforms:
            new = DOC_TRANSFORMS[t](text)
            if new == text:
                continue
            got = header_fields(p.name, new)
            flips += [MetaFlip(p.name, t, f, published[f], got[f]) for f in FIELDS if got[f] != published[f]]
    return flips


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval.meta_perturb", description=__doc__.split("\n\n")[0])
    p.add_argument("--corpora", default="provinces,laocai", help="provinces,laocai")
    p.add_argument("--transforms", default=",".join(DOC_TRANSFORMS), help=", ".join(DOC_TRANSFORMS))
    return p


def main(argv: list[str] | None = None) -> int:
    from .doc_perturb import dev_plans
    from .realsuite import corpora, data_dir

    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    transforms = chosen_transforms(args.transforms)
    folders = {c.name: c.folder for c in corpora()}
    plans = [p for c in args.corpora.split(",") if c for p in dev_plans(data_dir() / folders[c])]
    flips = meta_flips(plans, transforms)
    for f in flips:
        print(f"{f.plan}  [{f.transform}] {f.field}: «{f.published[:90]}» -> «{f.transformed[:90]}»")
    print(f"{len(flips)} field flips over {len(plans)} dev plans x {len(transforms)} transforms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
