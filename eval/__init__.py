"""Evaluation suite: python -m eval (see eval/run.py)."""

__all__: list[str] = []
