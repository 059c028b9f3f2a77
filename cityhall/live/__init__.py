"""Live updates: server-sent event streams of request and queue changes, with a polling fallback."""
