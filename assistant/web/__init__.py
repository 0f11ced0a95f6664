"""Static pieces of the web front end (widget page, UI script and style, offline API docs)."""

__all__: list[str] = []
