"""`python -m app serve [--host 127.0.0.1] [--port 8000] [--sandbox]`: run the service with uvicorn."""
from __future__ import annotations

import argparse
import sys


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m app", description="Amazon MWS component service")
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the step API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--sandbox", action="store_true", help="mount the MWS sandbox and use it by default")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    import uvicorn

    from app.main import app_from_environment

    app = app_from_environment(**({"sandbox": True} if args.sandbox else {}))
    # log_config=None: the app's own JSON logging (configured by create_app) stays in charge.
    uvicorn.run(app, host=args.host, port=args.port, log_config=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
