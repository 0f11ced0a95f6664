"""A person or unit typed by hand in two spellings of one name (issue 12): a Sở's task table writes
"Nguyễn Thị thúy Nhung" in one row and "Nguyễn Thị Thúy Nhung" in another. Asked what she does,
every row of hers answers, whichever spelling the question resolved to."""

from __future__ import annotations

from dataclasses import replace

from assistant.query.model import Role
from assistant.records import Passage
from assistant.snapshot import UnitIndex
from tests._inline import article

DOC = "kh-kiem-tra.txt"
SMALL, CAPITAL = "Nguyễn Thị thúy Nhung", "Nguyễn Thị Thúy Nhung"


def _row(pid: str, task: str, people: tuple[str, ...]) -> Passage:
    """A row of the task table: its people lead it (the loader puts a person cell in ``lead``)."""
    p = article(pid, DOC, ("PHÂN CÔNG NHIỆM VỤ",), f"{task} | {' '.join(people)}", kind="table_row")
    return replace(p, lead=people, persons=people)


ROWS = [
    _row("t1", "Rà soát việc đáp ứng các điều kiện của học viên", ("Đỗ Mạnh Cường", SMALL)),
    _row("t2", "Tổ chức chấm bài", ("Vũ Việt Linh",)),
    _row("t3", "Tổ chức kiểm tra", ("Đỗ Mạnh Cường", CAPITAL)),
]


def test_both_spellings_give_every_row_of_the_person():
    units = UnitIndex.build(ROWS)
    for asked in (SMALL, CAPITAL):
        assert units.role_rows(asked) == ((0, Role.LEAD), (2, Role.LEAD)), asked


def test_other_names_keep_their_own_rows():
    units = UnitIndex.build(ROWS)
    assert units.role_rows("Vũ Việt Linh") == ((1, Role.LEAD),)
    assert units.role_rows("Đỗ Mạnh Cường") == ((0, Role.LEAD), (2, Role.LEAD))
    assert units.role_rows("Nguyễn Thị Loan") == ()


# A provincial plan names its own bodies with or without their level and province (Dong Thap's
# 552 writes "Ban Quản lý khu Kinh tế", its 556 "Ban Quản lý Khu kinh tế tỉnh", an annex row
# "Ban Quản lý khu Kinh tế tỉnh Đồng Tháp"): one body, whichever spelling the question resolves to.
def _unit(pid: str, doc: str, lead: tuple[str, ...]) -> Passage:
    p = article(pid, doc, ("TỔ CHỨC THỰC HIỆN", lead[0]), f"{lead[0]}: phối hợp triển khai.")
    return replace(p, lead=lead)


BODIES = [
    _unit("b1", "kh-552.md", ("Ban Quản lý khu Kinh tế",)),
    _unit("b2", "kh-556.md", ("Ban Quản lý Khu kinh tế tỉnh",)),
    _unit("b3", "kh-552.md", ("Ban Quản lý khu Kinh tế tỉnh Đồng Tháp",)),
    _unit("b4", "kh-556.md", ("Công an tỉnh",)),
    _unit("b5", "kh-556.md", ("Công an",)),
    _unit("b6", "kh-556.md", ("Ủy ban nhân dân tỉnh",)),
    _unit("b7", "kh-556.md", ("Ban Chỉ đạo tỉnh về an toàn thực phẩm",)),
    _unit("b8", "kh-556.md", ("Ban Chỉ đạo",)),
]


def test_a_body_with_or_without_its_level_is_one_unit():
    units = UnitIndex.build(BODIES)
    every = ((0, Role.LEAD), (1, Role.LEAD), (2, Role.LEAD))
    for asked in (
        "Ban Quản lý Khu kinh tế tỉnh",
        "Ban Quản lý khu Kinh tế",
        "Ban Quản lý khu Kinh tế tỉnh Đồng Tháp",
    ):
        assert units.role_rows(asked) == every, asked


def test_a_short_name_or_a_council_keeps_its_level():
    # without "tỉnh" these name another body (any police unit, any People's Committee), and a body
    # "tỉnh về …" is named for its purpose, not its place
    units = UnitIndex.build(BODIES)
    assert units.role_rows("Công an tỉnh") == ((3, Role.LEAD),)
    assert units.role_rows("Ủy ban nhân dân tỉnh") == ((5, Role.LEAD),)
    assert units.role_rows("Ban Chỉ đạo tỉnh về an toàn thực phẩm") == ((6, Role.LEAD),)
    assert units.role_rows("Ban Chỉ đạo") == ((7, Role.LEAD),)
