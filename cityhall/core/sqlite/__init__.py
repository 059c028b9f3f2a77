"""SQLite as the default install uses it: Django's backend, with its writers queued by the kernel."""
