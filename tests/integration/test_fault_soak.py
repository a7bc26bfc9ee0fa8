"""The fault soak, CI-sized: the service under uvicorn polls the sandbox run as a server while 20 %
of the polls meet a 500, a 503, a malformed body, a dropped connection or an answer slower than the
client's timeout. Nothing may be lost or emitted twice. (bench/fault_soak.py runs 200 polls.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_given_faults_on_a_fifth_of_30_polls_when_the_trigger_polls_over_http_then_nothing_is_lost_or_duplicated(
        tmp_path):
    env = dict(os.environ, BENCH_RESULTS=str(tmp_path))
    run = subprocess.run([sys.executable, "bench/fault_soak.py", "--polls", "30", "--seed", "3"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads((tmp_path / "fault_soak.json").read_text())

    assert result["faultsFired"] >= 3
    assert result["ordersInCoveredWindow"] > 0
    assert result["lost"] == 0, result["lostIds"]
    assert result["duplicatedPairs"] == 0 and result["duplicatedFinalVersions"] == 0
    assert result["goal"]["met"] is True
