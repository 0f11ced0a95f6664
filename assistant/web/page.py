"""The UI page's own assets: style, page script, Vietnamese for Gradio's strings, mount options."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

__all__ = ["CSS", "HEAD", "I18N", "mount_options", "SOURCES_JS", "CONTEXT_JS", "CONTEXT_HINT"]

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


# Event delegation: one listener survives every re-render of the sources panel.
SOURCES_JS = """
const open = (ev) => {
  const card = ev.target.closest('[data-pid]');
  if (card && element.contains(card)) trigger('click', {pid: card.dataset.pid});
};
element.addEventListener('click', open);
element.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') open(ev); });
"""

# The context panel always belongs to the answer whose sources are shown: reset with them.
CONTEXT_HINT = "<div class='tlkh-empty'>Bấm vào một nguồn để xem đoạn đó trong kế hoạch.</div>"

# Bring the cited passage into view each time a source is opened.
CONTEXT_JS = """
watch('value', () => element.querySelector('.tlkh-cited')?.scrollIntoView({block: 'nearest'}));
"""
