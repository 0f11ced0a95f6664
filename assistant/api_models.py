"""Request bodies of the HTTP API: their limits and patterns are what /openapi.json documents."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .api_docs import HAS_WORD, NOT_BLANK, FilterDict

__all__ = [
    "AskRequest",
    "FeedbackAnswer",
    "FeedbackCitation",
    "FeedbackRequest",
    "FeedbackUnits",
    "HistoryTurn",
]


# --- request bodies ----------------------------------------------------------
class HistoryTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(BaseModel):
    question: str = Field(
        max_length=100_000,
        examples=["Sở nào chủ trì quảng bá video clip?"],
        description="At least one letter or digit (else 400 bad_question); cut at max_question_chars.",
        json_schema_extra={"pattern": HAS_WORD},
    )
    filters: FilterDict | None = Field(
        None, description='e.g. {"province": "Đồng Tháp", "district": "Lấp Vò", "doc": "<tệp kế hoạch>"}'
    )
    history: list[HistoryTurn] | None = Field(None, max_length=50)


class FeedbackCitation(BaseModel, extra="allow"):
    # the fields feedback.make_record keeps, with its limits; other citation fields are ignored
    passage_id: str | None = Field(None, max_length=500)
    doc: str | None = Field(None, max_length=500)
    quote: str | None = Field(None, max_length=2000)


class FeedbackUnits(BaseModel, extra="allow"):
    lead: list[str] = Field(default_factory=list)
    partners: list[str] = Field(default_factory=list)


class FeedbackAnswer(BaseModel, extra="allow"):
    answer: str | None = Field(None, max_length=20_000)
    units: FeedbackUnits | None = None
    citations: list[FeedbackCitation] | None = Field(None, max_length=50)


class FeedbackRequest(BaseModel):
    rating: Literal["useful", "not_useful", "wrong_source"]
    question: str = Field(
        max_length=4000, description="Not blank (else 400).", json_schema_extra={"pattern": NOT_BLANK}
    )
    answer: FeedbackAnswer | None = Field(None, description="The Answer JSON that was rated.")
    comment: str = Field("", max_length=2000)
    filters: dict[str, str | list[str]] | None = None
