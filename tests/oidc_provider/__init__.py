"""A minimal OpenID Connect provider (django-oauth-toolkit) that stands in for a city's identity provider in tests."""
