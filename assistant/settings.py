"""One settings object. Every field has a description; unknown keys are refused.

Values come from (highest first): explicit keyword arguments / CLI flags,
environment variables prefixed ``TLKH_`` (e.g. ``TLKH_EMBEDDER=st:/models/x``),
then the defaults below.  Paths are relative to the current directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "load_settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TLKH_", extra="forbid", validate_assignment=True)

    # --- where things live ---------------------------------------------------
    corpus_dir: Path = Field(Path("corpus"), description="Folder of plans to index (.txt .md .pdf .docx).")
    index_dir: Path = Field(
        Path("index"), description="Folder holding the built index (manifest.json + components)."
    )
    store: str = Field(
        "",
        description="Where the index lives: '' for the index folder (index_dir), or a PostgreSQL URL "
        "(postgresql://user:pass@host/db, needs the 'pg' extra and pgvector) shared by several app replicas.",
    )
    store_read: str = Field(
        "",
        description="Optional PostgreSQL URL of a read replica (streaming standby) for reads; writes go to 'store'.",
    )
    store_search: Literal["memory", "database"] = Field(
        "memory",
        description="With a PostgreSQL store, where search runs: 'memory' (each replica loads the served "
        "generation's vectors and BM25 and searches in process) or 'database' (each search is asked of "
        "PostgreSQL: HNSW top-k and BM25 over the in-database postings; the replica keeps only passages).",
    )
    data_dir: Path = Field(
        Path("data"), description="Writable folder: embedding cache, feedback, uploads, locks."
    )

    # --- indexing and retrieval ----------------------------------------------
    embedder: str = Field(
        "e5-small",
        description="Embedder id: 'e5-small' (bundled, offline), 'st:<hub name or local folder>', or 'fake' (tests).",
    )
    # checked when the settings load, not at the first question
    fusion: Literal["minmax", "rrf"] = Field(
        "minmax", description="How dense and lexical scores are fused: 'minmax' (weighted) or 'rrf'."
    )
    dense_weight: float = Field(
        0.4, ge=0.0, le=1.0, description="Weight of the dense side in min-max fusion (lexical gets 1 - this)."
    )
    top_k: int = Field(8, ge=1, le=100, description="Passages retrieved per question.")
    # off by default: retrained on the real-plan dev split (session 23) it lifts out-of-fold hit@1
    # 62.3 -> 67.5 and hit@3 79.9 -> 85.5, but the answer handlers and the refusal scorer were tuned
    # on the fused order and still answer 2 more dev questions wrongly with it (22 -> 24 misses)
    rerank: bool = Field(
        False,
        description="Reorder the retriever's best candidates with the learned passage reranker "
        "(assistant/data/passage_reranker.json, trained by `python -m eval.rerank_train`); false keeps the fused order.",
    )
    # off by default (session 24): out of fold by plan it chooses the right fact sentence for 94.7 % of
    # the 169 dev questions that reach it against the hand sum's 98.2 % (in-sample: its bonuses were
    # set on these questions); on, dev misses 19 -> 21; on the test part both choose right 63.2 %
    fact_scorer: bool = Field(
        False,
        description="Choose a fact question's answer sentence with the learned fact scorer "
        "(assistant/data/fact_scorer.json, trained by `python -m eval.fact_train`); false keeps the hand-weighted sum.",
    )
    ann_threshold: int = Field(
        50_000,
        ge=1,
        description="Above this many passages the FAISS index switches from exact (IndexFlatIP) to HNSW.",
    )
    use_units: bool = Field(
        True,
        description="Use lead/partner unit metadata in retrieval and answers (turn off only for ablations).",
    )

    # --- answers -------------------------------------------------------------
    refuse_below: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="A handler's own weak-evidence check: below this IDF-weighted coverage of the question's key terms it declines; the final refusal is then the calibrated scorer's (answer.confidence, assistant/data/refusal_scorer.json).",
    )
    max_question_chars: int = Field(
        2000, ge=50, description="Longer questions are truncated (with a notice)."
    )

    # --- optional LLM --------------------------------------------------------
    llm: str = Field(
        "",
        description="'' (extractive only), 'openai:<model>' (OpenAI-compatible server at llm_base_url) or 'ollama:<model>'.",
    )
    llm_base_url: str = Field(
        "", description="Base URL of the OpenAI-compatible or Ollama server, e.g. http://127.0.0.1:8000/v1."
    )
    llm_api_key: str = Field(
        "not-needed", description="API key sent to the LLM server (many local servers ignore it)."
    )
    llm_timeout: float = Field(
        60.0, gt=0, description="Seconds to wait for the LLM before falling back to the extractive answer."
    )

    # --- uploads -------------------------------------------------------------
    max_upload_mb: float = Field(20.0, gt=0, description="Largest plan file accepted, in MiB.")

    # --- server --------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address the web app binds to.")
    port: int = Field(7860, ge=1, le=65535, description="Port the web app binds to.")
    api_keys: list[str] = Field(
        default_factory=list,
        description="API keys accepted in the X-API-Key header. With none, only loopback clients are served.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Portal origins allowed by CORS, e.g. https://portal.example.gov.vn.",
    )
    rate_limit_per_minute: int = Field(
        120, ge=1, description="Requests per minute allowed per API key (or per client address)."
    )
    ui_users: list[str] = Field(
        default_factory=list,
        description="'name:password' logins for the web UI from other machines (HTTP Basic). With none, the UI serves loopback clients only, or callers holding an API key.",
    )
    admin_user: str = Field("admin", description="Administrator login for uploading and removing plans.")
    admin_password: str = Field(
        "", description="Administrator password. Empty disables upload/removal in the UI."
    )
    concurrency: int = Field(4, ge=1, description="Gradio queue concurrency limit and API worker threads.")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For is believed (e.g. 10.0.0.5/32). Empty: the peer address is the client, forwarded headers are ignored.",
    )
    admin_max_failures: int = Field(
        10,
        ge=1,
        description="Wrong administrator passwords from one client before every attempt from it (right or wrong) waits lockout_seconds.",
    )
    key_max_failures: int = Field(
        20, ge=1, description="Wrong API keys from one client address before it is locked out the same way."
    )
    lockout_seconds: float = Field(
        60.0, gt=0, description="How long a client that hit admin_max_failures or key_max_failures waits."
    )
    watch_seconds: float = Field(
        2.0,
        ge=0,
        description="How often the server looks at the published index's manifest to pick up a rebuild made elsewhere (CLI); 0 turns watching off.",
    )
    embed_worker: Literal["auto", "on", "off"] = Field(
        "auto",
        description="Embed uploaded plans in a separate low-priority process so questions keep their latency: 'auto' (on for real models, off for 'fake'), 'on', 'off'.",
    )

    @field_validator("ui_users")
    @classmethod
    def _logins_have_a_password(cls, v: list[str]) -> list[str]:
        bad = [u.split(":", 1)[0] or "(trống)" for u in v if ":" not in u or not u.split(":", 1)[1]]
        if bad:
            raise ValueError(f"ui_users entries must be 'name:password' (missing for: {', '.join(bad)})")
        return v

    def ui_logins(self) -> list[tuple[str, str]]:
        """UI logins as (name, password): the ui_users, plus the administrator when one is set."""
        logins = [tuple(u.split(":", 1)) for u in self.ui_users]
        if self.admin_password:
            logins.append((self.admin_user, self.admin_password))
        return logins  # type: ignore[return-value]


def load_settings(**overrides) -> Settings:
    """Settings from the environment, with explicit overrides (None values ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
