"""Run the stand-in identity provider on a free loopback port: `python -m tests.oidc_provider.serve …`.

It binds the port first (so the issuer URL is known), creates its database, registers one
confidential client for the redirect URIs given and a user per `--user email:password`, then
prints `listening on <issuer>` and serves until killed.
"""

from __future__ import annotations

import argparse
import os
import sys
from wsgiref.simple_server import make_server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--user", action="append", default=[], help="email:password")
    parser.add_argument("--unverified", action="append", default=[], help="an address not vouched for")
    args = parser.parse_args()

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    server = make_server("127.0.0.1", 0, None, server_class=ThreadedWSGIServer, handler_class=WSGIRequestHandler)
    issuer = f"http://127.0.0.1:{server.server_port}/o"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        OIDC_PROVIDER_DATABASE=args.database,
        OIDC_PROVIDER_ISSUER=issuer,
        OIDC_PROVIDER_UNVERIFIED=",".join(args.unverified),
    )
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for entry in args.user:
        email, password = entry.split(":", 1)
        User.objects.create_user(username=email, email=email, password=password)
    Application.objects.create(
        name="CityHall",
        client_id=args.client_id,
        client_secret=args.client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(args.redirect_uri),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,  # a city's own application: no consent screen
    )
    server.set_app(WSGIHandler())
    print(f"listening on {issuer}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
