"""Telling people what happened to a request: an outbox of messages, sent by tasks after commit."""
