"""`python -m app.sandbox --port P [--host H] [--seed N] [--order-every S] [--time-scale X] [--xsd-dir D]`:
the sandbox alone. The XSD directory (default $MWS_XSD_DIR) makes it validate feeds against Amazon's XSDs."""
from __future__ import annotations

import argparse
import os

import uvicorn

from . import Sandbox


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.sandbox", description="Run the MWS sandbox alone.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--order-every", type=float, default=60.0, help="seconds between generated orders")
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="speed-up of quotas and feed progress only; the sandbox's clock stays real time")
    parser.add_argument("--xsd-dir", default=os.environ.get("MWS_XSD_DIR") or None,
                        help="Amazon's XSDs, to validate feeds (default $MWS_XSD_DIR)")
    parser.add_argument("--slow-seconds", type=float, default=30.0, help="delay of a 'slow' fault")
    parser.add_argument("--quota-reset-minute", type=int, default=None,
                        help="minute past each hour at which hourly quotas reset (Amazon's: 12; "
                             "default: the minute of each caller's first request)")
    args = parser.parse_args(argv)
    sandbox = Sandbox(seed=args.seed, order_every=args.order_every, time_scale=args.time_scale,
                      xsd_dir=args.xsd_dir, quota_reset_minute=args.quota_reset_minute)
    sandbox.slow_seconds = args.slow_seconds
    # No access log: MWS query strings carry MWSAuthToken (contract §3, secrets).
    uvicorn.run(sandbox.app, host=args.host, port=args.port, access_log=False)


if __name__ == "__main__":
    main()
