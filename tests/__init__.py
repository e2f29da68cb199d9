"""Test suite of mailclient."""
