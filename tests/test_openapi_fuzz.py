"""The OpenAPI description tells the truth: schemathesis fuzzes the whole API from /openapi.json.

Every check is on (status codes and error bodies documented, schema-valid requests accepted,
schema-violating ones rejected, unsupported methods answered 405, missing credentials 401 …),
over all phases (examples, coverage, fuzzing, stateful). The server is the real app on
loopback over a tmp copy of the corpus with the ``fake`` embedder; the rate limit is lifted by
its setting so that the fuzzer is not answered 429 everywhere, and the administrator has a
password the fuzzer does not know (so upload/delete answer 401, never act).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _live import LiveServer

from assistant.api import create_api
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ST = Path(sys.executable).parent / "st"  # schemathesis' CLI, installed with the test extra


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory):
    from assistant.core import Assistant

    base = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    settings = Settings(
        corpus_dir=base / "corpus",
        index_dir=base / "index",
        data_dir=base / "data",
        embedder="fake",
        rate_limit_per_minute=1_000_000,  # lifted: the fuzzer sends hundreds of requests a minute
        admin_password="mật-khẩu-không-đoán-được-7f3a",
    )
    a = Assistant(settings, build_if_missing=True)
    assert a.plans()
    return a, settings


def test_schemathesis_finds_no_failure(app_settings, tmp_path):
    a, settings = app_settings
    plans_before = sorted(p.name for p in Path(settings.corpus_dir).iterdir())
    with LiveServer(create_api(a, settings)) as url:
        out = subprocess.run(
            [
                str(ST),
                "run",
                f"{url}/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                "40",
                "--seed",
                "20260101",  # reproducible in CI; change it locally to explore
                "--workers",
                "1",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=tmp_path,
        )
    report = out.stdout + out.stderr
    assert out.returncode == 0, report[-6000:]
    m = re.search(r"(\d+) generated, (\d+) passed", report)
    assert m and int(m.group(1)) >= 500 and m.group(1) == m.group(2), report[-3000:]
    spec = create_api(a, settings).openapi()
    operations = sum(len(methods) for methods in spec["paths"].values())
    assert {"/v1/chat/completions", "/v1/models"} <= set(spec["paths"])
    assert f"Tested: {operations}" in report, report[-3000:]  # every operation, the new doors included
    # the fuzzer could not change the plans (the admin routes need a password it does not have)
    assert sorted(p.name for p in Path(settings.corpus_dir).iterdir()) == plans_before
