"""Composition root: builds the services, then the window or the command line."""

from __future__ import annotations

import sys

from mailclient.cli.main import EXIT_FAILED, EXIT_USAGE, fail, run_command
from mailclient.cli.parser import parse_command_line
from mailclient.core.errors import MailError
from mailclient.services.logging_setup import configure_logging
from mailclient.services.mail_service import MailService
from mailclient.services.profile import Profile


def main(argv: list[str] | None = None) -> int:
    """Run ``mailclient``; returns the process exit code."""
    args = parse_command_line(argv)
    try:
        profile = Profile.locate(args.profile)
        profile.ensure_dirs()
        configure_logging(profile.log_dir, debug=args.debug)
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

            return run_gui(service, sys.argv[:1], mailto=args.mailto,
                           quit_after_start=args.quit_after_start)
        return run_command(args, service)
    finally:
        service.close()


if __name__ == "__main__":
    raise SystemExit(main())
