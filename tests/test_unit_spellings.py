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
