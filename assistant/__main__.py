"""``python -m assistant``: see assistant/cli.py."""

from assistant.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    raise SystemExit(main())
