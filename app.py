"""Start Trợ lý Kế hoạch: the Gradio UI and the HTTP API in one process.

    python app.py [--host 127.0.0.1] [--port 7860] [--corpus corpus] [--index index] [--data data]

Other settings come from TLKH_* environment variables (see assistant/settings.py),
e.g. TLKH_API_KEYS='["khoa-bi-mat"]' TLKH_ADMIN_PASSWORD=... TLKH_CORS_ORIGINS='["https://portal.example.gov.vn"]'.
The index is built from the corpus on first start. UI at /, API docs at /docs, widget at /widget.
"""

from assistant.api import main

if __name__ == "__main__":
    raise SystemExit(main())
