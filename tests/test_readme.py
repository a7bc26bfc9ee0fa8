"""Executable docs: the README's commands are the ones CI runs, and its tour runs against a real server."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import require_shared

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def test_given_the_readme_when_read_then_it_starts_with_the_install_and_run_and_the_test_commands():
    first, second = sh_blocks(README)[:2]
    assert "pip install -e ." in first and "python -m app serve --sandbox" in first
    assert "pip install -e '.[test]'" in second and "python -m pytest" in second
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install --quiet -e '.[test]'" in ci and "-m pytest" in ci


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


XSD_DIR = ROOT.parent / "shared" / "amazon-reference" / "xsd"


@pytest.fixture(params=["without MWS_XSD_DIR", "with MWS_XSD_DIR"])
def served_with_sandbox(request, tmp_path):
    port = _free_port()
    # The README's quick-tour settings: the sandbox's feeds finish in seconds, checked every second.
    env = dict(os.environ, LOG_LEVEL="WARNING", SANDBOX_TIME_SCALE="30", RESPONSE_CHECK_DELAY="1000")
    for name in ("STEP_API_TOKEN", "MWS_XSD_DIR", "MWS_ENDPOINT"):
        env.pop(name, None)
    if request.param == "with MWS_XSD_DIR":
        env["MWS_XSD_DIR"] = str(require_shared(XSD_DIR))
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--sandbox", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the service did not start: " + proc.stderr.read().decode()[-2000:])
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.skipif(shutil.which("curl") is None or shutil.which("bash") is None, reason="the tour needs bash and curl")
def test_given_the_service_with_its_sandbox_when_the_readme_tour_runs_then_every_step_answers_as_shown(
        served_with_sandbox, tmp_path):
    tour = README.split("## Tour", 1)[1].split("\n## ", 1)[0]
    script = "set -euo pipefail\n" + "\n".join(sh_blocks(tour))
    script = script.replace("localhost:8000", f"127.0.0.1:{served_with_sandbox}")
    run = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=400)
    out = run.stdout
    assert run.returncode == 0, run.stderr[-2000:]
    assert '{"verified":true}' in out
    assert "does not match the signature you provided" in out
    assert "does not participate in marketplace A1PA6795UKMFR9" in out
    assert re.search(r"ok \d+ orders \{'lastUpdatedAfter': '", out, flags=re.M)
    assert '"notFound":["999-0000000-0000000"]' in out
    assert '"orderItems":[{' in out
    assert '"path":"msg.body.amazonOrderIds[0]"' in out
    assert '{"type":"end","outcome":"ok"' in out
    assert '"code":"RequestThrottled"' in out
    assert '"feedType":"_POST_INVENTORY_AVAILABILITY_DATA_","feedProcessingStatus":"_DONE_"' in out
    assert '"messagesProcessed":2,"messagesSuccessful":1,"messagesWithError":1' in out
    assert '"resultMessageCode":13013' in out and '"sku":"NO-SUCH-SKU"' in out
    assert re.search(r"\[\('[^']+', 7\)\]", out)
    assert '"feedType":"_POST_PRODUCT_DATA_","feedProcessingStatus":"_DONE_"' in out
    assert "['Wooden train set']" in out
    # SP-API: LWA's reason, v2026 orders, a JSON listings feed changing the same catalog.
    assert out.count('{"verified":true}') == 2
    assert "invalid grant parameter" in out
    assert re.search(r"ok \d+ v2026 orders \{'lastUpdatedAfter': '", out)
    assert re.search(r"\['\d{3}-\d{7}-\d{7}'\] \['999-0000000-0000000'\]", out)
    assert '"feedType":"JSON_LISTINGS_FEED","feedProcessingStatus":"DONE"' in out
    assert re.search(r"\[\('[^']+', 9\)\]", out)
    # Reports on both backends: the listings report, and 90 days of orders in windows.
    assert len(re.findall(r"^ok [1-9]\d* listings$", out, flags=re.M)) == 2
    assert len(re.findall(r"^ok [1-9]\d* order rows \{'windowStart': '", out, flags=re.M)) == 2
