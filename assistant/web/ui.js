// Trợ lý Kế hoạch: page-level behaviour the Gradio components do not offer.
// Loaded in <head> of the UI page; touches only our own elements and Gradio's locale.
(() => {
  "use strict";

  // 1. Vietnamese everywhere. Gradio ships no "vi" bundle, so its own locale pick falls back to
  //    English whatever the browser says. Our translations are registered under "vi" (gr.I18n,
  //    before this script runs: Gradio injects <head> content after its i18n setup); switch to
  //    that locale through Gradio's own changeLocale, which also sets <html lang>.
  const coreUrl = () =>
    performance
      .getEntriesByType("resource")
      .map((e) => e.name)
      .find((n) => /\/assets\/core-[\w-]+\.js$/.test(n));
  const toVietnamese = (tries) => {
    const url = coreUrl();
    if (!url) {
      if (tries > 0) setTimeout(() => toVietnamese(tries - 1), 50);
      return;
    }
    import(url)
      .then((m) => m.changeLocale && m.changeLocale("vi"))
      .catch(() => {})
      .finally(() => {
        document.documentElement.lang = "vi";
      });
  };
  toVietnamese(100);
  // Gradio's settings panel could switch back; an official reading Vietnamese keeps Vietnamese.
  new MutationObserver(() => {
    if (document.documentElement.lang !== "vi") toVietnamese(0);
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });

  // Some of Gradio's icon buttons carry fixed English aria-labels/titles outside its i18n
  // (table toolbar, file list); name them in Vietnamese as they appear.
  const LABELS = {
    Copy: "Sao chép",
    "Copy table": "Sao chép bảng",
    "Copy table data": "Sao chép dữ liệu bảng",
    "Empty value": "Trống",
    "Click to upload or drop files": "Bấm để chọn tệp hoặc thả tệp vào đây",
    Dataframe: "Bảng",
    "More tabs": "Các thẻ khác",
    "Table actions": "Thao tác với bảng",
    "chatbot conversation": "Hội thoại",
    Copied: "Đã sao chép",
    Fullscreen: "Toàn màn hình",
    "Exit fullscreen": "Thoát toàn màn hình",
    "Exit fullscreen mode": "Thoát toàn màn hình",
    "Enter fullscreen mode": "Toàn màn hình",
    Download: "Tải về",
    Clear: "Xóa",
    Remove: "Bỏ",
    "Open cell menu": "Mở menu ô",
    "File upload": "Tải tệp lên",
    "Select all": "Chọn tất cả",
    "Sort column": "Sắp xếp cột",
    Search: "Tìm",
    Share: "Chia sẻ",
    Close: "Đóng",
  };
  const relabel = (root) => {
    for (const el of root.querySelectorAll ? root.querySelectorAll("[aria-label],[title]") : []) {
      for (const attr of ["aria-label", "title"]) {
        const v = el.getAttribute(attr);
        if (!v) continue;
        // a message's label repeats its raw markdown after an English prefix: name its role only
        const t = LABELS[v] || (v.startsWith("bot's message:") ? "Câu trả lời" : v.startsWith("user's message:") ? "Câu hỏi" : null);
        if (t) el.setAttribute(attr, t);
      }
    }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") relabel(r.target.parentNode || document);
      else r.addedNodes.forEach((n) => n.nodeType === 1 && relabel(n.parentNode || n));
    }
  }).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["aria-label", "title"],
  });

  // 2. The chat's copy icon copies the message's raw markdown (escaped for display). Each answer
  //    carries its clean text with sources in a hidden data-tlkh-copy attribute (base64 UTF-8);
  //    when that text is what is being copied, the clean version goes to the clipboard instead.
  const decode = (b64) => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  const clean = (text) => {
    const m = /data-tlkh-copy="([A-Za-z0-9+/=]+)"/.exec(text || "");
    return m ? decode(m[1]) : text;
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (text) => write(clean(text));
  }
  document.addEventListener(
    "copy",
    (ev) => {
      // the same for a fallback copy through a hidden <textarea> (non-secure origins)
      const el = document.activeElement;
      if (el && el.tagName === "TEXTAREA" && /data-tlkh-copy=/.test(el.value)) {
        ev.clipboardData.setData("text/plain", clean(el.value));
        ev.preventDefault();
      }
    },
    true
  );

  // 3. A [n] marker in an answer opens that source: its card and its passage in the plan. The link
  //    is "#tlkh-pid-<passage id>"; clicking an older answer first brings its sources back (the
  //    chat's select event), so the card is looked for until it appears.
  const openCard = (pid, tries) => {
    const card = [...document.querySelectorAll("#tlkh-sources [data-pid]")].find((c) => c.dataset.pid === pid);
    if (card) {
      card.scrollIntoView({ behavior: "smooth", block: "nearest" });
      card.click();
    } else if (tries > 0) {
      setTimeout(() => openCard(pid, tries - 1), 150);
    }
  };
  document.addEventListener(
    "click",
    (ev) => {
      const a = ev.target.closest && ev.target.closest('a[href^="#tlkh-"]');
      if (!a) return;
      ev.preventDefault(); // no navigation; the chat still sees the click and selects this answer
      const href = a.getAttribute("href");
      if (href.startsWith("#tlkh-pid-")) openCard(decodeURIComponent(href.slice(10)), 40);
      else if (href === "#tlkh-units") {
        const tab = [...document.querySelectorAll("[role=tab]")].find((t) => t.innerText.trim() === "Đơn vị");
        tab?.click();
        window.scrollTo({ top: 0, behavior: "smooth" });
      }
      else document.getElementById(href.slice(1))?.scrollIntoView({ behavior: "smooth", block: "start" });
    },
    true
  );
})();
