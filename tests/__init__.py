"""Test support shared by every app's tests, and no tests of its own: the browser fixtures (`browser`)
and a stand-in OpenID Connect provider (`oidc_provider`). Each test sits beside its app, in
`cityhall/<app>/tests/`; `cityhall/core/tests/test_layout.py` fails on a test module anywhere else."""
