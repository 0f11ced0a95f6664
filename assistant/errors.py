"""Errors that say what to do. Only the CLI/UI/API layers turn them into messages.

Every error carries a Vietnamese message (shown to officials) and an English
one (logs, API ``detail``), plus a stable ``code`` for programs.
"""

from __future__ import annotations

__all__ = [
    "AssistantError",
    "DocumentError",
    "UnsupportedFormat",
    "EmptyDocument",
    "NeedsOCR",
    "EncryptedDocument",
    "UndecodableText",
    "CorruptDocument",
    "FileTooLarge",
    "UnsafeFileName",
    "NoPlanContent",
    "PlanNotFound",
    "IndexError_",
    "IndexMissing",
    "IndexMismatch",
    "IndexCorrupt",
    "IndexBusy",
    "BadQuestion",
    "LLMError",
    "ConfigError",
    "StoreUnavailable",
]


class AssistantError(Exception):
    code = "error"
    status = 400  # HTTP status the API uses
    headers: dict[str, str] | None = None  # HTTP headers sent with it (Retry-After, WWW-Authenticate)

    def __init__(self, message_vi: str, message_en: str | None = None, *, hint: str | None = None):
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        self.hint = hint
        super().__init__(self.message_en)

    def user_message(self) -> str:
        msg = self.message_vi
        if self.hint:
            msg += f"\n→ {self.hint}"
        return msg

    def to_dict(self) -> dict:
        return {
            "error": self.code,
            "message": self.message_vi,
            "message_en": self.message_en,
            "hint": self.hint,
        }


# --- documents -------------------------------------------------------------
class DocumentError(AssistantError):
    code = "bad_document"
    status = 422


class UnsupportedFormat(DocumentError):
    code = "unsupported_format"


class EmptyDocument(DocumentError):
    code = "empty_document"


class NeedsOCR(DocumentError):
    code = "needs_ocr"


class EncryptedDocument(DocumentError):
    code = "encrypted_document"


class UndecodableText(DocumentError):
    code = "undecodable_text"


class CorruptDocument(DocumentError):
    code = "corrupt_document"


class FileTooLarge(DocumentError):
    code = "file_too_large"
    status = 413


class UnsafeFileName(DocumentError):
    code = "unsafe_file_name"


class NoPlanContent(DocumentError):
    code = "no_plan_content"


class PlanNotFound(AssistantError, LookupError):
    code = "plan_not_found"
    status = 404


# --- index -----------------------------------------------------------------
class IndexError_(AssistantError):  # trailing underscore: do not shadow the builtin
    code = "index_error"
    status = 503


class IndexMissing(IndexError_):
    code = "index_missing"


class IndexMismatch(IndexError_):
    code = "index_mismatch"


class IndexCorrupt(IndexError_):
    code = "index_corrupt"


class IndexBusy(IndexError_):
    code = "index_busy"
    status = 409


# --- questions, LLM, config --------------------------------------------------
class BadQuestion(AssistantError):
    code = "bad_question"


class LLMError(AssistantError):
    code = "llm_error"
    status = 502


class ConfigError(AssistantError):
    code = "config_error"


class StoreUnavailable(IndexError_):
    """The PostgreSQL store (``store`` setting) cannot be reached or has another schema."""

    code = "store_unavailable"
