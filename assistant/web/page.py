"""The UI page's own assets: style, page script, Vietnamese for Gradio's strings, mount options."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

__all__ = ["CSS", "HEAD", "I18N", "mount_options"]

WEB = Path(__file__).parent
CSS = (WEB / "ui.css").read_text(encoding="utf-8")
# Page script: Vietnamese locale for Gradio's own strings, clean copy, clickable [n] markers.
HEAD = "<script>\n" + (WEB / "ui.js").read_text(encoding="utf-8") + "\n</script>"
_VI = {
    k: v
    for k, v in json.loads((WEB / "gradio_vi.json").read_text(encoding="utf-8")).items()
    if k != "_comment"
}
# Gradio ships no Vietnamese; these replace its English (upload area, chat icons, footer …).
I18N = gr.I18n(vi=_VI)


def mount_options() -> dict:
    """Keyword arguments for ``gr.mount_gradio_app``: style, page script, translations, no footer.

    The footer's only entries are Gradio's English "Use via API" / "Built with Gradio" links;
    the API's own documentation is at /docs.
    """
    return {"css": CSS, "head": HEAD, "i18n": I18N, "footer_links": []}
