"""Partners' webhooks: subscriptions to request (and device) events, a signed, retried outbox, a delivery log.

events.py (types and payloads) · addresses.py (where a webhook may go) · signing.py (Standard
Webhooks) · sending.py (one POST) · services.py (every write) · selectors.py. docs/webhooks.md.
"""
