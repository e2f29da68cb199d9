"""Composition root: builds the services, then the window or the command line."""

from __future__ import annotations

import logging
import sys

from mailclient.cli.main import EXIT_FAILED, EXIT_USAGE, fail, run_command
from mailclient.cli.parser import build_parser
from mailclient.core.errors import MailError
from mailclient.services.mail_service import MailService
from mailclient.services.profile import Profile


def _configure_logging(profile: Profile) -> None:
    """Log to a file in the profile; protocol libraries only at WARNING (they echo commands)."""
    handler = logging.FileHandler(profile.log_dir / "mailclient.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("aioimaplib", "aiosmtplib", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    """Run ``mailclient``; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        profile = Profile.locate(args.profile)
        profile.ensure_dirs()
        _configure_logging(profile)
        service = MailService(profile)
    except MailError as exc:
        fail(str(exc))
        return EXIT_USAGE if isinstance(exc, ValueError) else EXIT_FAILED
    except OSError as exc:
        fail(f"cannot use the profile: {exc}")
        return EXIT_FAILED
    try:
        if args.command is None:
            from mailclient.ui.main import run_gui

            return run_gui(service, sys.argv[:1])
        return run_command(args, service)
    finally:
        service.close()


if __name__ == "__main__":
    raise SystemExit(main())
