"""The staff workspace: triage, department queues, the request workspace, field use (issue 6)."""
