"""Composition root: builds the services, then the window or the command line."""

from __future__ import annotations

import logging
import sys

from mailclient.cli.main import EXIT_FAILED, EXIT_USAGE, fail, run_command
from mailclient.cli.parser import parse_command_line
from mailclient.core.errors import MailError
from mailclient.services.logging_setup import configure_logging
from mailclient.services.mail_service import MailService
from mailclient.services.profile import BrokenSettingsError, Profile

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Run ``mailclient``; returns the process exit code."""
    args = parse_command_line(argv)
    try:
        profile = Profile.locate(args.profile)
        profile.ensure_dirs()
        configure_logging(profile.log_dir, debug=args.debug)
        service = open_service(profile, gui=args.command is None)
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


def open_service(profile: Profile, *, gui: bool) -> MailService:
    """The services over ``profile``. When its settings file is broken, the command line
    fails with the error; the GUI shows it and may set the file aside to start afresh."""
    try:
        return MailService(profile)
    except BrokenSettingsError as exc:
        if not gui:
            raise
        from mailclient.ui.main import ask_to_start_fresh

        if not ask_to_start_fresh(exc, sys.argv[:1]):
            raise
        aside = profile.set_aside_settings()
        log.warning("the broken settings file was moved to %s; starting afresh", aside)
        return MailService(profile)


if __name__ == "__main__":
    raise SystemExit(main())
