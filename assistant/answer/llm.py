"""Optional LLM answers through a LangChain chat model, checked before they are shown.

The extractive answer is always computed first. The model sees the numbered
passages (as data, inside <doan> tags) and must cite them as [n]. Its reply is
accepted only if every [n] names a passage it was given and the sentence citing
it shares content with that passage; otherwise — or when the server is down —
the extractive answer is returned, with a notice saying why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.answer.common import AnswerContext, plan_label
from assistant.answer.evidence import best_segment, verbatim_quote
from assistant.answer.extractive import finalize
from assistant.errors import ConfigError
from assistant.ingest.units import canonical_unit, find_units
from assistant.query.model import Intent
from assistant.records import REFUSAL_TEXT, Answer, Citation, DocMeta, Hit, Passage
from assistant.textnorm import fold
from assistant.vocab.tokens import content_terms, folded_tokens

__all__ = ["PROMPTS_DIR", "load_prompt", "make_chat_model", "LLMAnswerer", "check_citations", "MAX_PASSAGES"]

log = logging.getLogger(__name__)
PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
MAX_PASSAGES = 6
OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434/v1"
_MARK = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def load_prompt(name: str, directory: Path | None = None) -> str:
    path = (directory or PROMPTS_DIR) / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(
            f"Không đọc được tệp lời nhắc {path}.",
            f"Cannot read prompt file {path}: {e}",
            hint="kiểm tra thư mục prompts/ của bản cài đặt",
        ) from e


def make_chat_model(settings) -> tuple[Any, str]:
    """(chat model, name) for ``settings.llm``: 'openai:<model>' or 'ollama:<model>'."""
    spec = (settings.llm or "").strip()
    kind, _, model = spec.partition(":")
    if kind not in ("openai", "ollama") or not model.strip():
        raise ConfigError(
            f"Cấu hình LLM '{spec}' không hợp lệ.",
            f"Invalid LLM setting '{spec}'.",
            hint="dùng 'openai:<tên mô hình>' hoặc 'ollama:<tên mô hình>', hoặc để trống",
        )
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    base_url = settings.llm_base_url or None
    if kind == "ollama":
        # Ollama serves an OpenAI-compatible API under /v1; talking to it through ChatOpenAI
        # keeps one client (and one streaming/timeout behaviour) for every local server.
        base_url = base_url or OLLAMA_DEFAULT_URL
    elif not base_url:
        raise ConfigError(
            "Chưa đặt địa chỉ máy chủ LLM.",
            "llm_base_url is not set.",
            hint="đặt TLKH_LLM_BASE_URL, ví dụ http://127.0.0.1:8000/v1",
        )
    model = model.strip()
    chat = ChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=SecretStr(settings.llm_api_key or "not-needed"),
        timeout=settings.llm_timeout,
        max_retries=0,
        temperature=0,
    )
    return chat, f"{kind}:{model}"


def _sentences_with_marks(text: str) -> list[tuple[str, list[int]]]:
    """Each sentence of the reply with the passage numbers it cites."""
    out = []
    for part in re.split(r"(?<=[.!?;])\s+|\n+", text):
        nums = [int(x) for m in _MARK.finditer(part) for x in re.split(r"\s*[,;]\s*", m.group(1))]
        body = _MARK.sub(" ", part).strip()
        if body or nums:
            out.append((body, nums))
    return out


def check_citations(
    text: str, passages: list[Passage], *, min_shared: int = 2, min_ratio: float = 0.4
) -> tuple[bool, str]:
    """(ok, reason). Every [n] must exist and its sentence must share content with passage n."""
    if not text.strip():
        return False, "câu trả lời rỗng"
    pairs = _sentences_with_marks(text)
    cited = [n for _, nums in pairs for n in nums]
    if not cited:
        return False, "không có trích dẫn [n]"
    carry: list[str] = []
    for body, nums in pairs:
        terms = content_terms(body)
        if not nums:
            carry = terms  # "… as follows:" then a cited line: judge the pair together
            continue
        terms = terms or carry
        carry = []
        for n in nums:
            if not 1 <= n <= len(passages):
                return False, f"trích dẫn [{n}] không trỏ tới đoạn nào đã cung cấp"
            have = set(folded_tokens(passages[n - 1].embed_text or passages[n - 1].text))
            shared = [t for t in terms if t in have]
            if terms and (len(shared) < min(min_shared, len(terms)) or len(shared) / len(terms) < min_ratio):
                return False, f"câu trích dẫn [{n}] không khớp nội dung đoạn đó"
    return True, ""


def _connection_error(e: BaseException) -> bool:
    names = {c.__name__ for c in type(e).__mro__}
    return bool(
        names
        & {
            "APIConnectionError",
            "APITimeoutError",
            "ConnectError",
            "ConnectTimeout",
            "ReadTimeout",
            "TimeoutException",
            "ConnectionError",
            "TimeoutError",
        }
    )


def _is_refusal(text: str) -> bool:
    """The model declined: our sentence, or one close to it (models rarely copy it exactly)."""
    folded = fold(text)
    return text.startswith(REFUSAL_TEXT[:30]) or (
        len(text) < 200
        and any(p in folded for p in ("khong co trong cac ke hoach", "khong tim thay", "khong co thong tin"))
    )


class LLMAnswerer:
    """Generate with a chat model, verify the citations, fall back to the extractive answer."""

    def __init__(
        self,
        model: Any,
        name: str,
        *,
        max_passages: int = MAX_PASSAGES,
        prompts: Path | None = None,
        base_url: str | None = None,
    ):
        self.model = model
        self.name = name
        self.max_passages = max_passages
        self.base_url = base_url
        self.system = load_prompt("answer_system.md", prompts)
        self.user = load_prompt("answer_user.md", prompts)
        self.passage_tpl = load_prompt("passage.md", prompts)

    @classmethod
    def from_settings(cls, settings) -> LLMAnswerer:
        model, name = make_chat_model(settings)
        return cls(model, name, base_url=getattr(model, "openai_api_base", None) or settings.llm_base_url)

    # --- prompt ------------------------------------------------------------------
    def select(self, hits: list[Hit], extractive: Answer) -> list[Passage]:
        """The passages the model sees: the extractive answer's evidence first, then the best hits."""
        by_id = {h.passage.id: h.passage for h in hits}
        out: list[Passage] = []
        for c in extractive.citations:
            p = by_id.get(c.passage_id)
            if p is None:
                p = Passage(
                    id=c.passage_id,
                    doc=c.doc,
                    kind=c.kind,
                    text=c.text,
                    section=tuple(s for s in c.section.split(" › ") if s),
                    page=c.page,
                )
            if p.id not in {x.id for x in out}:
                out.append(p)
        for h in hits:
            if len(out) >= self.max_passages:
                break
            if h.passage.id not in {x.id for x in out}:
                out.append(h.passage)
        return out[: self.max_passages]

    def messages(self, question: str, passages: list[Passage], docs: dict[str, DocMeta]) -> list[Any]:
        from langchain_core.messages import HumanMessage, SystemMessage

        def clean(s: str) -> str:  # a plan cannot close our data tag and speak as the user
            return re.sub(r"</?\s*doan\b[^>]*>", " ", s, flags=re.I)

        blocks = [
            self.passage_tpl.format(
                n=i, plan=clean(plan_label(p.doc, docs)), section=clean(p.section_path), text=clean(p.text)
            ).strip()
            for i, p in enumerate(passages, 1)
        ]
        user = self.user.format(passages="\n\n".join(blocks), question=clean(question))
        return [SystemMessage(content=self.system.strip()), HumanMessage(content=user)]

    # --- answers -----------------------------------------------------------------
    def _accept(
        self, text: str, passages: list[Passage], extractive: Answer, docs: dict[str, DocMeta]
    ) -> Answer:
        text = text.strip()
        if not _MARK.search(text) and _is_refusal(text):
            return self._fallback(
                extractive,
                "Mô hình ngôn ngữ không tìm thấy câu trả lời trong các đoạn được "
                "cung cấp; hiển thị câu trả lời trích xuất từ kế hoạch.",
            )
        ok, reason = check_citations(text, passages)
        if ok and extractive.intent in (Intent.LEAD_UNIT, Intent.PARTNER_UNIT):
            # the model may word a unit its own way, but may not put another unit in charge

            given = [*extractive.units.get("lead", []), *extractive.units.get("partners", [])]
            allowed = {*given, *(canonical_unit(u) for u in given)}
            extra = [u for u in find_units(text) if u not in allowed]
            if extra:
                ok, reason = False, f"nêu đơn vị không được giao trong kế hoạch: {', '.join(extra)}"
        if not ok:
            log.info("LLM answer rejected (%s): %r", reason, text[:200])
            return self._fallback(
                extractive,
                f"Câu trả lời của mô hình ngôn ngữ bị loại ({reason}); "
                "hiển thị câu trả lời trích xuất từ kế hoạch.",
            )
        # renumber [n] in order of first use so citations read 1, 2, 3 …
        order: list[int] = []
        for m in _MARK.finditer(text):
            for x in re.split(r"\s*[,;]\s*", m.group(1)):
                if int(x) not in order:
                    order.append(int(x))
        new = {old: i for i, old in enumerate(order, 1)}
        text = _MARK.sub(
            lambda m: "".join(f"[{new[int(x)]}]" for x in re.split(r"\s*[,;]\s*", m.group(1))), text
        )
        sentences = _sentences_with_marks(text)
        score = {c.passage_id: c.score for c in extractive.citations}
        cites = []
        for old in order:
            p = passages[old - 1]
            n = new[old]
            said = [t for body, nums in sentences if n in nums for t in content_terms(body)]
            span = best_segment(p.text, said)
            quote = verbatim_quote(p.text, p.text[span[0] : span[1]] if span else "")
            cites.append(
                Citation(
                    n=n,
                    passage_id=p.id,
                    doc=p.doc,
                    title=getattr(docs.get(p.doc), "title", "") or plan_label(p.doc, docs),
                    section=p.section_path,
                    text=p.text,
                    quote=quote,
                    score=score.get(p.id, 0.0),
                    page=p.page,
                    kind=p.kind,
                )
            )
        ans = Answer(
            question=extractive.question,
            answer=text,
            intent=extractive.intent,
            units=extractive.units,
            citations=cites,
            notice=extractive.notice,
            generator=f"llm:{self.name}",
        )
        return finalize(ans)

    @staticmethod
    def _fallback(extractive: Answer, notice: str) -> Answer:
        extractive.notice = f"{extractive.notice} {notice}" if extractive.notice else notice
        extractive.generator = "extractive"
        return extractive

    def _error(self, extractive: Answer, e: BaseException) -> Answer:
        log.warning("LLM call failed: %s: %s", type(e).__name__, e)
        if _connection_error(e):
            where = f" ({self.base_url})" if self.base_url else ""
            msg = (
                f"Không kết nối được máy chủ mô hình ngôn ngữ{where}; "
                "đây là câu trả lời trích xuất trực tiếp từ kế hoạch."
            )
        else:
            msg = (
                f"Máy chủ mô hình ngôn ngữ báo lỗi ({type(e).__name__}); "
                "đây là câu trả lời trích xuất trực tiếp từ kế hoạch."
            )
        return self._fallback(extractive, msg)

    def answer(self, ctx: AnswerContext, extractive: Answer) -> Answer:
        """The model's answer from the handler's evidence (``ctx``), verified; else ``extractive``."""
        docs = ctx.docs
        passages = self.select(ctx.hits, extractive)
        if not passages:
            return extractive
        try:
            reply = self.model.invoke(self.messages(ctx.query.text, passages, docs))
        except Exception as e:  # any client/server failure: the extractive answer still stands
            return self._error(extractive, e)
        return self._accept(_text(reply), passages, extractive, docs)

    def stream(self, ctx: AnswerContext, extractive: Answer) -> Iterator[Any]:
        """Yield text chunks as they arrive, then the verified (or fallback) Answer."""
        docs = ctx.docs
        passages = self.select(ctx.hits, extractive)
        if not passages:
            yield extractive.answer
            yield extractive
            return
        acc = []
        try:
            for chunk in self.model.stream(self.messages(ctx.query.text, passages, docs)):
                piece = _text(chunk)
                if piece:
                    acc.append(piece)
                    yield piece
        except Exception as e:  # the model client's failure (third-party code): fall back, say why
            yield self._error(extractive, e)
            return
        yield self._accept("".join(acc), passages, extractive, docs)


def _text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content or "")
