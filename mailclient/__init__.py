"""mailclient: a desktop email client (IMAP, POP3, SMTP) with an offline store."""

__version__ = "0.1.0"
