"""Reads of open data: facts about datasets, always from the projection or the public catalogue."""
