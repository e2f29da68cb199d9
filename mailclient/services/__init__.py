"""Service layer: SMTP, IMAP, POP3, store, keyring, sync, outbox (asyncio, never Qt)."""
