"""Reading a standardised linear model saved as JSON (the refusal scorer, the passage reranker):
its format and version checked, its feature list against the code's, its columns' lengths; one
error class per model, with what to run to retrain it. Never a pickle: the files are data."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AssistantError

__all__ = ["LinearModel", "ModelSpec", "read_linear_model"]


@dataclass(frozen=True)
class LinearModel:
    """A linear score over standardised features: what the saved models (refusal scorer, passage
    reranker, fact scorer) share; each adds its own fields and reads its own file."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]

    def score(self, x: Mapping[str, float]) -> float:
        """The weighted sum; a feature absent or NaN (a score the retriever did not give) counts
        as the average one."""
        z = 0.0
        for n, m, s, w in zip(self.names, self.mean, self.scale, self.weights):
            v = x.get(n, 0.0)
            if not math.isnan(v):
                z += w * (v - m) / s
        return z

    def columns(self, fmt: str, version: int) -> dict[str, Any]:
        """The fields every model file holds, in the order the readers expect."""
        return {
            "format": fmt,
            "version": version,
            "features": list(self.names),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
        }


@dataclass(frozen=True)
class ModelSpec:
    """What a model file must be, and how its errors read."""

    fmt: str
    version: int
    features: tuple[str, ...]
    error: type[AssistantError]
    what_vi: str  # "từ chối trả lời": the model named in the Vietnamese messages
    what_en: str  # "refusal scorer"
    mismatch_en: str  # "its features differ from confidence.FEATURES"
    hints: tuple[str, str, str]  # what to do when unreadable, of another version, not matching


def read_linear_model(
    path: Path, spec: ModelSpec, valid: Callable[[dict[str, Any]], bool] = lambda data: True
) -> tuple[dict[str, Any], tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """The file's data and its ``mean``, ``scale`` (a 0 read as 1) and ``weights``; ``valid`` is
    the caller's own check of its extra fields (False: the file does not match the code)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise spec.error(
            f"Không đọc được tệp mô hình {spec.what_vi}.",
            f"cannot read the {spec.what_en} {path}: {e}",
            hint=spec.hints[0],
        ) from e
    if not isinstance(data, dict) or data.get("format") != spec.fmt or data.get("version") != spec.version:
        found = (data.get("format"), data.get("version")) if isinstance(data, dict) else type(data).__name__
        raise spec.error(
            f"Tệp mô hình {spec.what_vi} không đúng phiên bản.",
            f"{path} is {found}, expected ({spec.fmt!r}, {spec.version})",
            hint=spec.hints[1],
        )
    names = tuple(data.get("features", ()))
    cols = [data.get(k) for k in ("mean", "scale", "weights")]
    if (
        names != spec.features
        or any(not isinstance(c, list) or len(c) != len(names) for c in cols)
        or not valid(data)
    ):
        raise spec.error(
            f"Tệp mô hình {spec.what_vi} không khớp với mã nguồn.",
            f"{path}: {spec.mismatch_en}",
            hint=spec.hints[2],
        )
    mean, scale, weights = (tuple(float(v) for v in c) for c in cols)  # type: ignore[union-attr]
    return data, mean, tuple(s or 1.0 for s in scale), weights
