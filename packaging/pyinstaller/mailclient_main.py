"""Entry point of the PyInstaller build: the same ``main`` as the ``mailclient`` command."""

from mailclient.app import main

if __name__ == "__main__":
    raise SystemExit(main())
