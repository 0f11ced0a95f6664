"""eval.meta_perturb: header fields compared across layout transforms, without an index (issue 12
class 6). Plans written here; the dev plans are checked by ``python -m eval.meta_perturb``."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval import doc_transforms, meta_perturb
from eval.meta_perturb import MetaFlip, header_fields, meta_flips

WEB = """|
**ỦY BAN NHÂN DÂN**
TỈNH ĐỒNG THÁP
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 556/KH-UBND
|
*Đồng Tháp, ngày 20
tháng 11 năm 2025*
|

**KẾ HOẠCH**

PHÒNG, CHỐNG DỊCH BỆNH MÙA MƯA BÃO NĂM 2026

**I. MỤC ĐÍCH, YÊU CẦU**

Bảo đảm sức khỏe nhân dân trong mùa mưa bão; Sở Y tế chủ trì, phối hợp các địa phương.

|
Nơi nhận:
*-* Bộ Y tế (b/c);
- TT Tỉnh ủy, HĐND tỉnh;
- VPUB: CVP, các PCVP, các Phòng: ĐTQH,
TH, KGVX, NgV;
- Lưu: VT, KGVX.
|
**KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
Hồ Thị Nguyên Thảo
|
"""


@pytest.fixture()
def plan(tmp_path: Path) -> Path:
    p = tmp_path / "dong-thap-556-kh-ubnd.md"
    p.write_text(WEB, encoding="utf-8")
    return p


def test_the_published_fields_are_read(plan: Path):
    f = header_fields(plan.name, plan.read_text(encoding="utf-8"))
    assert (f["number"], f["date"], f["signer"]) == ("556/kh-ubnd", "2025-11-20", "ho thi nguyen thao")
    assert (
        f["recipients"]
        == "bo y te (b/c); tt tinh uy, hdnd tinh; vpub: cvp, cac pcvp, cac phong: dtqh, th, kgvx, ngv; luu: vt, kgvx"
    )


def test_no_flip_under_word_and_web_exports(plan: Path):
    # unwrap puts the first recipient on the head's line; en_dash turns the bullets into en dashes
    assert meta_flips([plan], ["unwrap", "en_dash", "old_tone", "plain_emphasis", "nbsp"]) == []


def test_a_lost_field_is_reported(plan: Path, monkeypatch: pytest.MonkeyPatch):
    drop_number = {"drop_number": lambda text: text.replace("Số: 556/KH-UBND", "")}
    monkeypatch.setattr(meta_perturb, "DOC_TRANSFORMS", {**doc_transforms.DOC_TRANSFORMS, **drop_number})
    assert meta_flips([plan], ["drop_number"]) == [
        MetaFlip(plan.name, "drop_number", "number", "556/kh-ubnd", "")
    ]
