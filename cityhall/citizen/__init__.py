"""The resident app: report, track, confirm or reopen, my requests, the public map and list (issue 5)."""
