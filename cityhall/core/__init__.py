"""Shared kernel: errors, clock, middleware, health. No domain rules live here."""
