"""Pure core: models, MIME building and parsing, settings schema, errors (no Qt, no I/O)."""
