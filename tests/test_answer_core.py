"""The Assistant's plan management and thread safety, on a tmp copy of two plans (fake embedder)."""

from __future__ import annotations

import shutil
import threading

import pytest

from assistant.core import Assistant, PassageNotFound, _safe_name
from assistant.errors import DocumentError, FileTooLarge, IndexMissing, PlanNotFound, UnsafeFileName
from assistant.settings import Settings

TRA_VINH = "tra-vinh-2023-1899-qd-ubnd.txt"


@pytest.fixture()
def small(tmp_path, corpus_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("dong-nai-2024-183-kh-ubnd.txt", "lap-vo-2024-truyen-thong-chinh-sach.txt"):
        shutil.copy(corpus_dir / name, corpus / name)
    settings = Settings(
        corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data", embedder="fake"
    )
    return settings


def test_lazy_and_missing_index(small):
    a = Assistant(small)  # nothing loaded or built yet
    assert not a.loaded
    with pytest.raises(IndexMissing):
        a.plans()
    h = a.health()
    assert h["status"] == "no_index" and h["error"] == "index_missing" and "python -m assistant" in h["hint"]
    assert not (small.index_dir / "manifest.json").exists()  # health never builds


def test_leftovers_of_killed_uploads_are_swept(small, corpus_dir):
    import os
    import time

    uploads = small.data_dir / "uploads"
    (uploads / "0a1b").mkdir(parents=True)
    (uploads / "0a1b" / "ke-hoach.txt").write_text("một lần nạp bị ngắt", encoding="utf-8")
    (uploads / "cu.txt").write_text("bản dàn dựng của phiên bản cũ", encoding="utf-8")
    (uploads / "dang-nap").mkdir()  # another process's upload in progress: fresh, left alone
    old = time.time() - 2 * 24 * 3600
    for p in (uploads / "0a1b", uploads / "cu.txt"):
        os.utime(p, (old, old))
    a = Assistant(small, build_if_missing=True)
    a.add_plan("tra-vinh.txt", (corpus_dir / TRA_VINH).read_bytes())
    assert sorted(p.name for p in uploads.iterdir()) == ["dang-nap"]


def test_add_and_remove_plan(small, corpus_dir):
    a = Assistant(small, build_if_missing=True)
    assert [m.doc for m in a.plans()] == [
        "dong-nai-2024-183-kh-ubnd.txt",
        "lap-vo-2024-truyen-thong-chinh-sach.txt",
    ]
    assert a.ask("Ai ký quyết định 1899?").refused  # not loaded yet: says so
    data = (corpus_dir / TRA_VINH).read_bytes()
    meta = a.add_plan("Quyết định 1899 (Trà Vinh).txt", data)
    assert meta.doc == "quyet-dinh-1899-tra-vinh.txt" and meta.number == "1899/QĐ-UBND"
    assert (small.corpus_dir / meta.doc).read_bytes() == data
    assert not any((small.data_dir / "uploads").iterdir())  # the staged copy is gone
    assert "Lê Văn Hân" in a.ask("Ai ký quyết định 1899?").answer
    assert a.health()["plans"] == 3
    # the same content again, a broken file, an oversized one: clear errors, nothing changes
    with pytest.raises(DocumentError) as dup:
        a.add_plan("copy.txt", data)
    assert "đã được nạp" in dup.value.message_vi
    with pytest.raises(DocumentError):
        a.add_plan("hong.pdf", b"%PDF-1.4 not really a pdf")
    with pytest.raises(UnsafeFileName):
        a.add_plan("noext", data)
    with pytest.raises(FileTooLarge):
        Assistant(small.model_copy(update={"max_upload_mb": 0.001})).add_plan("big.txt", data)
    assert sorted(p.name for p in small.corpus_dir.iterdir()) == sorted(
        ["dong-nai-2024-183-kh-ubnd.txt", "lap-vo-2024-truyen-thong-chinh-sach.txt", meta.doc]
    )
    assert len(a.plans()) == 3
    # only the exact document id removes a plan (a number or a look-alike name is not one)
    for near in ("1899", meta.doc.upper(), meta.doc + "x", "1899-" + meta.doc):
        with pytest.raises(PlanNotFound):
            a.remove_plan(near)
    assert len(a.plans()) == 3
    # removed: gone from answers and from the corpus folder (kept in data_dir/removed)
    a.remove_plan(meta.doc)
    assert [m.doc for m in a.plans()] == [
        "dong-nai-2024-183-kh-ubnd.txt",
        "lap-vo-2024-truyen-thong-chinh-sach.txt",
    ]
    assert not (small.corpus_dir / meta.doc).exists()
    assert a.reindex().docs == 2


def test_safe_names():
    assert _safe_name("Kế hoạch số 12 (bản cuối).DOCX") == "ke-hoach-so-12-ban-cuoi.docx"
    assert _safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert _safe_name("C:\\Users\\x\\Báo cáo.pdf") == "bao-cao.pdf"
    for bad in ("", "   ", "tên-không-đuôi"):
        with pytest.raises(UnsafeFileName):
            _safe_name(bad)


def test_passage_lookup_and_context(small):
    a = Assistant(small, build_if_missing=True)
    ans = a.ask("Ai chủ trì xây dựng bộ từ khóa truyền thông cho tỉnh?")
    pid = ans.citations[0].passage_id
    assert a.passage(pid).id == pid
    assert pid in [p.id for p in a.context(pid)]
    with pytest.raises(PassageNotFound) as e:
        a.passage("khong-co")
    assert e.value.status == 404 and isinstance(e.value, LookupError)


def test_questions_keep_working_while_plans_change(small, corpus_dir):
    """Readers use a snapshot; add/remove swap it whole. No question fails or mixes states."""
    a = Assistant(small, build_if_missing=True)
    a.plans()
    data = (corpus_dir / TRA_VINH).read_bytes()
    errors: list[BaseException] = []
    answers = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                ans = a.ask("Ai ký Kế hoạch 183?")
                answers.append(ans)
                assert "Nguyễn Sơn Hùng" in ans.answer
                assert all(c.quote in c.text for c in ans.citations)
            except BaseException as e:  # noqa: BLE001 - collected and re-raised below
                errors.append(e)
                return

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(2):
            meta = a.add_plan("tra-vinh.txt", data)
            a.remove_plan(meta.doc)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors[0]
    assert len(answers) >= 3
    assert [m.doc for m in a.plans()] == [
        "dong-nai-2024-183-kh-ubnd.txt",
        "lap-vo-2024-truyen-thong-chinh-sach.txt",
    ]
