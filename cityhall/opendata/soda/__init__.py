"""The Socrata-compatible query API (SODA 2.x) over the registry's datasets: /resource/<id>.<format>."""
