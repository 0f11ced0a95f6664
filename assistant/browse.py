"""Browsing the loaded plans by unit: the unit table and one unit's tasks.

What the API's ``/units`` pages, the UI's unit tab and the MCP ``unit_tasks`` tool show
(through ``Assistant.units`` and ``Assistant.unit_tasks``). Both read one snapshot of the
loaded index, so a reindex in flight never mixes two indexes in one table.
"""

from __future__ import annotations

from assistant.answer.common import plan_label
from assistant.errors import BadQuestion
from assistant.ingest.units import canonical_unit
from assistant.snapshot import IndexSnapshot, aliases_by_unit
from assistant.textnorm import fold, nfc

__all__ = ["unit_table", "unit_tasks", "canonical_name"]


def unit_table(snap: IndexSnapshot) -> list[dict]:
    """Every unit named in the plans: canonical name, province, aliases, task counts."""
    aliases = aliases_by_unit()
    table: dict[tuple[str, str | None], dict] = {}
    for p in snap.passages:
        meta = snap.docs.get(p.doc)
        prov = p.province or (meta.province if meta else None)
        for role, names in (("lead", p.lead), ("partner", p.partners), ("requested", p.requested)):
            for u in names:
                row = table.setdefault(
                    (u, prov),
                    {
                        "name": u,
                        "province": prov,
                        "aliases": sorted(set(aliases.get(u, []))),
                        "lead_count": 0,
                        "partner_count": 0,
                        "requested_count": 0,
                    },
                )
                row[f"{role}_count"] += 1
    return sorted(table.values(), key=lambda r: (-(r["lead_count"] + r["partner_count"]), r["name"]))


def canonical_name(unit: str, province: str | None, snap: IndexSnapshot) -> str:
    """The unit's canonical name: the data file's, else the loaded units' reading of it."""
    name = canonical_unit(unit, province)
    if name:
        return name
    found = snap.catalog.match_units(unit, province)
    return found[0] if found else nfc(unit).strip()


def unit_tasks(snap: IndexSnapshot, unit: str, province: str | None = None) -> list[dict]:
    """Every task a unit leads, coordinates or is requested to do, in plan order."""
    if not isinstance(unit, str) or not unit.strip():
        raise BadQuestion("Hãy chọn đơn vị.", "The unit name is empty.")
    name = canonical_name(unit, province, snap)
    docs = snap.docs
    out = []
    for p, role in snap.unit_rows(name):
        meta = docs.get(p.doc)
        prov = p.province or (meta.province if meta else None)
        if province and prov and fold(prov) != fold(province):
            continue
        out.append(
            {
                "unit": name,
                "doc": p.doc,
                "plan": plan_label(p.doc, docs),
                "title": (meta.title if meta else "") or p.doc,
                "section": p.section_path,
                "text": p.text,
                "role": str(role),
                "passage_id": p.id,
                "province": prov,
            }
        )
    return out
