"""What an uploaded plan must be before it is stored: its file name and its content.

One upload-name policy for the API and the UI (both go through ``Assistant.add_plan``):
the client's name is reduced to a plain lower-case ASCII name that cannot leave the plan
folder (:func:`stored_name`). The parser's own ``ingest.safe_name`` only guards document
ids handed to it directly; a stored name always passes it.

Also here: the refusal of documents that repeat a loaded plan (:func:`docs_with_same_content`),
the free name in the plan folder (:func:`free_name`), the refusal of documents that carry nothing but the administrative frame, and
the folders Gradio must never serve.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import uuid
from pathlib import Path

from .errors import NoPlanContent, UnsafeFileName
from .records import ParsedDoc
from .textnorm import fold, nfc

__all__ = [
    "stored_name",
    "check_plan_content",
    "content_key",
    "docs_with_same_content",
    "free_name",
    "ui_blocked_paths",
    "MAX_STEM",
    "uploaded_file",
]

MAX_STEM = 80  # characters kept of the name's stem: enough to recognise a plan, short for every file system
_SAFE = re.compile(r"[^a-z0-9._-]+")


def stored_name(filename: str) -> str:
    """A plain, lower-case ASCII file name that cannot leave the corpus folder.

    Path parts (``/`` or ``\\``) are dropped, letters folded ("Kế hoạch" → "ke-hoach"),
    anything else becomes "-", the stem is cut to ``MAX_STEM``; a name with no extension
    is refused (the extension says how to read the file).
    """
    if not isinstance(filename, str) or not filename.strip():
        raise UnsafeFileName(
            "Tên tệp trống.", "Empty file name.", hint="đặt tên tệp, ví dụ ke-hoach-183.docx"
        )
    base = re.split(r"[\\/]", nfc(filename[:10_000]).strip())[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _SAFE.sub("-", fold(stem)).strip("-._")[:MAX_STEM].strip("-._")
    stem = stem or f"ke-hoach-{uuid.uuid4().hex[:6]}"
    suffix = _SAFE.sub("", suffix.lower())[:10]
    if not suffix:
        raise UnsafeFileName(
            f"Tệp '{base[:80]}' không có phần mở rộng.",
            f"File '{base[:80]}' has no extension.",
            hint="dùng .pdf, .docx, .txt hoặc .md",
        )
    return f"{stem}.{suffix}"


# The frame every Vietnamese administrative document carries (Nghị định 30/2020/NĐ-CP, Phụ lục I):
# national motto, "Số:" line, place-and-date line, the "Nơi nhận:" list and the signature
# block (TM./KT./Q./TL. + title + name). A document made only of these has no plan in it.
_FRAME = [
    re.compile(r"^nơi nhận\s*:", re.I),  # the recipients list: everything after it is recipients
    re.compile(r"^(?:tm|kt|q|tl)\.\s", re.I),  # signing on behalf of
    re.compile(r"^cộng hòa xã hội chủ nghĩa việt nam\b", re.I),
    re.compile(r"^độc lập\s*[-–]\s*tự do\s*[-–]\s*hạnh phúc", re.I),
    re.compile(r"^số\s*:\s*\S+$", re.I),
    re.compile(r"^[\w\s.]+,\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\.?$", re.I),
    re.compile(r"^\(?đã ký\)?\.?$", re.I),
]
MIN_CONTENT_WORDS = 3  # a heading alone ("KẾ HOẠCH") is not a plan either


def _is_frame(text: str) -> bool:
    t = " ".join(nfc(text).split())
    return any(rx.search(t) for rx in _FRAME)


def check_plan_content(parsed: ParsedDoc, name: str) -> None:
    """Refuse a document whose passages are only the administrative frame (recipients, signature…)."""
    content = [
        p
        for p in parsed.passages
        if p.kind != "metadata" and not _is_frame(p.text) and len(re.findall(r"\w+", p.text)) >= 1
    ]
    words = sum(len(re.findall(r"\w+", p.text)) for p in content)
    if not content or words < MIN_CONTENT_WORDS:
        raise NoPlanContent(
            f"Tệp «{name}» không có nội dung kế hoạch: chỉ có phần thể thức "
            "(nơi nhận, chữ ký, quốc hiệu), không có mục, nhiệm vụ hay đoạn văn nào để hỏi đáp.",
            f"'{name}' has no plan content: only the administrative frame (recipients, signature, motto).",
            hint="Kiểm tra đã chọn đúng tệp, và tệp có phần nội dung (mục đích, nhiệm vụ…).",
        )


def content_key(passages) -> str:
    """The same plan re-saved (CRLF, BOM, another encoding) has other bytes but these passages."""
    texts = sorted(" ".join(p.text.split()) for p in passages if p.kind != "metadata")
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()


def docs_with_same_content(existing, new) -> set[str]:
    """Loaded plans whose passages (metadata card aside) are exactly the new plan's."""
    key = content_key(new)
    by_doc: dict[str, list] = {}
    for p in existing:
        by_doc.setdefault(p.doc, []).append(p)
    return {doc for doc, ps in by_doc.items() if content_key(ps) == key}


def free_name(folder: Path, name: str) -> str:
    """``name``, or ``stem-2.ext``, ``stem-3.ext`` …: the first not taken in ``folder``."""
    stem, _, suffix = name.rpartition(".")
    candidate, i = name, 2
    while (folder / candidate).exists():
        candidate = f"{stem}-{i}.{suffix}"
        i += 1
    return candidate


def ui_blocked_paths(settings) -> list[str]:
    """Folders Gradio must never read or serve: the app itself, the plans, the index and the data.

    A folder that holds Gradio's own upload folder or the system temp folder (where the UI
    writes its exports) is left out, or the UI could not work; that only happens when the
    app is run from inside the temp folder.
    """
    from gradio.utils import get_upload_folder

    needed = [Path(get_upload_folder()).resolve(), Path(tempfile.gettempdir()).resolve()]
    candidates = [
        Path(__file__).resolve().parent.parent,
        Path.cwd(),
        Path(settings.corpus_dir),
        Path(settings.index_dir),
        Path(settings.data_dir),
    ]
    out: list[str] = []
    for c in candidates:
        c = c.resolve()
        if any(n == c or c in n.parents for n in needed):
            continue
        if str(c) not in out:
            out.append(str(c))
    return out


def uploaded_file(file_data) -> tuple[Path, str] | None:
    """(path, the client's file name) for a file the client uploaded, else None.

    Accepted only inside Gradio's upload folder, as a regular file (no symlink), so a
    FileData naming any other server path is refused without being read.
    """
    from gradio.utils import get_upload_folder

    if isinstance(file_data, dict):
        raw, original = file_data.get("path"), file_data.get("orig_name")
    else:  # a plain path (direct calls, older clients)
        raw, original = file_data, None
    if not isinstance(raw, str) or not raw:
        return None
    folder = Path(get_upload_folder()).resolve()
    given = Path(raw)
    if not given.is_absolute():
        given = folder / given
    try:
        if given.is_symlink():
            return None
        path = given.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if folder not in path.parents or not path.is_file():
        return None
    name = original if isinstance(original, str) and original.strip() else path.name
    return path, name
