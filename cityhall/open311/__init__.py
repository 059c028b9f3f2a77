"""Open311 GeoReport v2 at /open311/v2/: an interface over the request services — no rules of its own."""
