"""The words of lists in Vietnamese plans: the fields of a task sheet, and what an official calls
the parts of a plan when asking for its items (``NOUN_PARAPHRASES``).

A plan that assigns its tasks one by one often writes each task as a small sheet of labelled
points under the task's heading ("3. Về đảm bảo an toàn thông tin" › "a) Nhiệm vụ: …", "b) Cơ
quan thực hiện: …", "c) Thời gian thực hiện: …"; also "Sản phẩm", "Kinh phí", "Đơn vị chủ trì").
Those labels are fields of the one task, not items of a list: the items asked ("những giải pháp
gì", "những việc gì") are the lines of its task field ("Nhiệm vụ", "Nội dung").
"""

from __future__ import annotations

from assistant.vocab.tokens import folded_tokens

__all__ = [
    "SHEET_FIELDS",
    "TASK_FIELDS",
    "sheet_field",
    "NOUN_PARAPHRASES",
    "paraphrases",
    "TEAMS",
    "WORKING_BODIES",
]

# a working body a Sở or UBND sets up for one plan by a "quyết định thành lập": the team of a training
# or an inspection round (its plan appends the team's division of work, "Nhiệm vụ thực hiện | Người
# thực hiện"), and the boards and councils that have no such table (folded)
TEAMS = ("to cong tac", "to kiem tra", "doan kiem tra", "doan cong tac", "to giup viec", "to thu ky")
WORKING_BODIES = (*TEAMS, "ban chi dao", "hoi dong")

# the labels of a task sheet's fields (folded), the task's own text first
TASK_FIELDS = frozenset({"nhiem vu", "noi dung", "noi dung thuc hien", "nhiem vu giai phap", "giai phap"})
SHEET_FIELDS = TASK_FIELDS | frozenset(
    {
        "co quan thuc hien",
        "co quan chu tri thuc hien",
        "don vi chu tri thuc hien",
        "co quan phoi hop thuc hien",
        "don vi phoi hop thuc hien",
        "don vi thuc hien",
        "co quan chu tri",
        "don vi chu tri",
        "co quan phoi hop",
        "don vi phoi hop",
        "thoi gian thuc hien",
        "thoi gian hoan thanh",
        "thoi han hoan thanh",
        "tien do thuc hien",
        "san pham",
        "ket qua",
        "ket qua dau ra",
        "kinh phi",
        "kinh phi thuc hien",
        "nguon kinh phi",
    }
)


def sheet_field(label: str) -> str | None:
    """The task-sheet field a point's label names ("a) Nhiệm vụ:" → "nhiem vu"), else None.
    The label is the point's text before its first colon, its enumerator ("a)", "1.") dropped."""
    head = label.split(":", 1)[0]
    words = folded_tokens(head)
    while words and (len(words[0]) == 1 or words[0].isdigit()):
        words = words[1:]  # the point's enumerator ("a", "1")
    field = " ".join(words)
    return field if field in SHEET_FIELDS else None


# what an official asks for ("theo những bước nào", "có những biện pháp gì") and the headings plans
# write those parts under: a plan orders the steps of a campaign under "Phương án triển khai",
# "Trình tự thực hiện", "Quy trình" ("a) tuyên truyền …", "b) mở tài khoản …", "đ) xét thi đua,
# tổng kết"), and names its measures "giải pháp" or "biện pháp" alike. Tried only when no heading
# holds the noun asked itself.
NOUN_PARAPHRASES: dict[str, tuple[str, ...]] = {
    "buoc": ("phuong an trien khai", "trinh tu thuc hien", "quy trinh thuc hien", "cac buoc"),
    "bien phap": ("giai phap",),
    "giai phap": ("bien phap",),
}


def paraphrases(asked: str) -> tuple[str, ...]:
    """The headings that may stand for the noun phrase asked (its head noun's paraphrases)."""
    words = asked.split()
    for n in (2, 1):
        found = NOUN_PARAPHRASES.get(" ".join(words[:n]))
        if found:
            return found
    return ()
