"""Entry point for ``python -m mailclient``."""

from mailclient.app import main

raise SystemExit(main())
