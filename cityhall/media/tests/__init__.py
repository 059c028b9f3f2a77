"""Tests for the photo pipeline (no Django needed)."""
