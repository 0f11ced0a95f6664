"""Trợ lý Kế hoạch: question answering over Vietnamese government plans.

Flow: ingest → structure → index → retrieve → answer → (app | api | eval).
Importing this package has no side effects (no model, no index is loaded).
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
