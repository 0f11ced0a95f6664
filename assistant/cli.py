"""Command line: ``python -m assistant {index,ingest,ask,plans,mcp}``.

Readable Vietnamese by default, the JSON answer contract with ``--json``. Exit code
0 for an answer or a refusal; 1 for an AssistantError (message + hint, no
traceback); 2 for bad usage (argparse's own convention).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from assistant.errors import AssistantError, BadQuestion, ConfigError
from assistant.ui_render import sources_lines

__all__ = ["main", "build_parser", "format_answer"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # Vietnamese first, one line, then the usage
        self.print_usage(sys.stderr)
        sys.stderr.write(f"Lỗi cú pháp lệnh: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m assistant",
        description="Trợ lý Kế hoạch: hỏi đáp có trích dẫn trên các kế hoạch đã nạp.",
    )
    p.add_argument(
        "--corpus", metavar="DIR", help="thư mục kế hoạch (mặc định: TLKH_CORPUS_DIR hoặc corpus/)"
    )
    p.add_argument("--index", metavar="DIR", help="thư mục chỉ mục (mặc định: TLKH_INDEX_DIR hoặc index/)")
    p.add_argument(
        "--store", metavar="URL", help="kho PostgreSQL (postgresql://…) thay cho thư mục chỉ mục (TLKH_STORE)"
    )
    p.add_argument("--embedder", metavar="ID", help="mô hình nhúng: e5-small | st:<mô hình> | fake")
    p.add_argument(
        "--llm", metavar="SPEC", help="tuỳ chọn: openai:<mô hình> | ollama:<mô hình> (mặc định: không dùng)"
    )
    sub = p.add_subparsers(dest="command", metavar="{index,ingest,ask,plans,mcp}", parser_class=_Parser)
    sub.required = True

    sub.add_parser("index", help="lập (lại) chỉ mục cho mọi kế hoạch trong thư mục kế hoạch")

    ing = sub.add_parser("ingest", help="đọc một tệp kế hoạch và in cấu trúc nhận được (không lập chỉ mục)")
    ing.add_argument("file", metavar="FILE")
    ing.add_argument("--json", action="store_true", help="in JSON")

    ask = sub.add_parser("ask", help="hỏi một câu (hoặc nhiều câu với --stdin)")
    ask.add_argument("question", nargs="?", metavar="CÂU_HỎI")
    ask.add_argument("--province", metavar="TỈNH", help="chỉ tìm trong kế hoạch của tỉnh này")
    ask.add_argument("--district", metavar="HUYỆN", help="chỉ tìm trong kế hoạch của huyện này")
    ask.add_argument("--plan", metavar="DOC", help="chỉ tìm trong kế hoạch này (tên tệp hoặc số, ví dụ 183)")
    ask.add_argument("--json", action="store_true", help="in câu trả lời theo hợp đồng JSON (schema 1)")
    ask.add_argument(
        "--stdin",
        action="store_true",
        help='chế độ lô: mỗi dòng vào là câu hỏi hoặc JSON {"question", "filters"}; '
        "mỗi dòng ra là một câu trả lời JSON",
    )

    pl = sub.add_parser("plans", help="liệt kê các kế hoạch đã nạp")
    pl.add_argument("--json", action="store_true", help="in JSON")

    sub.add_parser("mcp", help="máy chủ MCP qua stdio cho các tác tử AI (Claude Desktop, IDE …)")
    return p


def _settings(args):
    from pydantic import ValidationError

    from assistant.settings import load_settings

    try:
        return load_settings(
            corpus_dir=args.corpus,
            index_dir=args.index,
            embedder=args.embedder,
            llm=args.llm,
            store=args.store,
        )
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ())) or "?"
        raise ConfigError(
            f"Cấu hình không hợp lệ ({where}): {first.get('msg')}",
            f"Invalid configuration ({where}): {first.get('msg')}",
            hint="kiểm tra các biến môi trường TLKH_* và tham số dòng lệnh",
        ) from None


def format_answer(data: dict[str, Any]) -> str:
    """The answer for a terminal: text, notice, then numbered sources with their quotes."""
    lines = [data.get("answer", "").strip()]
    if data.get("notice"):
        lines += ["", f"Lưu ý: {data['notice']}"]
    return "\n".join(lines + sources_lines(data))


def _filters(args) -> dict[str, str]:
    f = {}
    if args.province:
        f["province"] = args.province
    if args.district:
        f["district"] = args.district
    if args.plan:
        f["doc"] = args.plan
    return f


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _cmd_ask(args) -> int:
    from assistant.core import Assistant

    if args.stdin:
        if args.question:
            raise _Usage("dùng --stdin thì không ghi câu hỏi trên dòng lệnh")
        return _batch(Assistant(_settings(args)), _filters(args))
    if not args.question:
        raise _Usage("thiếu câu hỏi (hoặc dùng --stdin)")
    ans = Assistant(_settings(args)).ask(args.question, filters=_filters(args) or None)
    data = ans.to_dict()
    print(_dump(data) if args.json else format_answer(data))
    return EXIT_OK


def _batch(assistant, default_filters: dict[str, str]) -> int:
    """One JSON answer per input line, in order; a bad line gets a JSON error line, not a crash."""
    failed = 0
    for n, raw in enumerate(sys.stdin, 1):
        line = raw.strip()
        if not line:
            continue
        try:
            filters = dict(default_filters)
            if line.startswith("{"):
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as e:
                    raise BadQuestion(
                        f"Dòng {n} không phải JSON hợp lệ.", f"Line {n} is not valid JSON: {e}"
                    ) from None
                if not isinstance(item, dict) or not isinstance(item.get("question"), str):
                    raise BadQuestion(f'Dòng {n} thiếu trường "question".', f'Line {n} has no "question".')
                filters.update(item.get("filters") or {})
                question = item["question"]
            else:
                question = line
            out = assistant.ask(question, filters=filters or None).to_dict()
        except AssistantError as e:
            if e.code.startswith("index") or e.code == "config_error":
                raise  # the whole batch cannot work: stop with the one clear message
            failed += 1
            out = {"schema": 1, "line": n, **e.to_dict()}
        print(_dump(out), flush=True)
    if failed:
        sys.stderr.write(f'{failed} dòng không trả lời được (xem các dòng có "error").\n')
    return EXIT_ERROR if failed else EXIT_OK


def _cmd_index(args) -> int:
    from assistant.indexing import tqdm_progress
    from assistant.indexing.backend import build

    settings = _settings(args)
    rep = build(settings, progress=tqdm_progress())
    print(
        f"Đã lập chỉ mục {rep.docs} kế hoạch, {rep.passages} đoạn trong {rep.seconds:.1f} giây "
        f"({rep.passages_per_second:.1f} đoạn/giây; nhúng mới {rep.embedded_new}, dùng lại {rep.cache_hits}) "
        f"→ {rep.index_dir or settings.index_dir}"
    )
    for name, msg in rep.errors:
        print(f"  Bỏ qua {name}: {msg}", file=sys.stderr)
    return EXIT_OK


def _cmd_ingest(args) -> int:
    from pathlib import Path

    from assistant.ingest import parse_file
    from assistant.ingest.inspect import render, to_json

    path = Path(args.file)
    if not path.is_file():
        raise ConfigError(f"Không thấy tệp {path}.", f"File {path} not found.")
    parsed = parse_file(path)
    print(_dump(to_json(parsed)) if args.json else render(parsed))
    return EXIT_OK


def _cmd_plans(args) -> int:
    from assistant.core import Assistant

    metas = Assistant(_settings(args)).plans()
    if args.json:
        print(_dump({"schema": 1, "plans": [m.to_dict() for m in metas]}))
        return EXIT_OK
    for m in metas:
        bits = [b for b in (m.number or m.number_text, m.date_text or m.date, m.province, m.district) if b]
        print(
            f"{m.doc}\n    {m.title or '(không có tiêu đề)'}\n    {' · '.join(bits)} · {m.passage_count} đoạn"
        )
    print(f"Tổng: {len(metas)} kế hoạch.")
    return EXIT_OK


def _cmd_mcp(args) -> int:
    from assistant.core import Assistant
    from assistant.mcp_server import run_stdio

    run_stdio(Assistant(_settings(args)))  # stdout carries the protocol: nothing else is printed there
    return EXIT_OK


class _Usage(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # a replaced stream may not have it
        try:
            if reconfigure is not None:
                reconfigure(encoding="utf-8")
        except ValueError:
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "index": _cmd_index,
        "ingest": _cmd_ingest,
        "ask": _cmd_ask,
        "plans": _cmd_plans,
        "mcp": _cmd_mcp,
    }
    try:
        return handlers[args.command](args)
    except _Usage as e:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"Lỗi cú pháp lệnh: {e}\n")
        return EXIT_USAGE
    except AssistantError as e:
        sys.stderr.write(f"Lỗi: {e.user_message()}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("Đã dừng.\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as e:
        # disk full, file too large, permission: the build already rolled back; say so plainly
        sys.stderr.write(
            f"Lỗi: không ghi được tệp ({e.strerror or e}; {getattr(e, 'filename', '') or ''}). "
            "Chỉ mục cũ vẫn được giữ nguyên; giải phóng dung lượng đĩa rồi chạy lại "
            "`python -m assistant index`.\n"
        )
        return EXIT_ERROR
