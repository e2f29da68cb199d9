"""Test helpers: real mail servers and fixtures."""
