"""Webhook deliveries per second to a receiver on loopback, against bare POSTs as the yardstick.

    python -m bench.webhook_delivery [--requests 300] [--subscriptions 2]
    ./tools/with-postgres .venv/bin/python -m bench.webhook_delivery

Files `--requests` requests (each is a request.created and a request.status_changed, routed as
filed) with tasks not run, then times the fan-out (deliveries stored per second), the sending of
every delivery (claim, sign, check the address, POST, log the attempt, mark it: deliveries per
second) and, as the yardstick, the same number of bare urllib3 POSTs of the same bodies on one kept
connection. Uses the configured database (DATABASE_URL, or SQLite in CITYHALL_DATA_DIR). Prints
figures only.
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--subscriptions", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CITYHALL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # the bench sends itself
    os.environ["CITYHALL_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.0/8"  # the receiver is on loopback
    import django

    django.setup()
    import urllib3
    from django.db import connection

    from cityhall.catalogue.models import Service
    from cityhall.partners.models import ApiKey, WebhookDelivery
    from cityhall.partners.webhooks import services as webhooks
    from cityhall.requests import services
    from cityhall.requests.models import RequestEvent
    from tests.loopback import RecordingServer, serving

    from .seed import prepared_city

    jurisdiction = prepared_city(0)
    pothole = Service.objects.get(jurisdiction=jurisdiction, code="potholes")
    with serving(RecordingServer()) as receiver:
        key = ApiKey.objects.filter(name="bench-webhooks").first() or ApiKey(name="bench-webhooks", scopes=["webhooks"])
        key.issue()
        key.save()
        for number in range(args.subscriptions):
            webhooks.subscription_create(
                key=key, url=f"{receiver.url}/hook/{number}", event_types=["request.created", "request.status_changed"]
            )
        first = RequestEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for _ in range(args.requests):
            services.service_request_submit(
                service=pothole,
                location=services.Location(lat=34.0115, lng=-118.4917),
                description="Bench pothole",
                attributes={"SIZE": "M"},
                contact=services.Contact(email="bench@example.org"),
            )
        event_ids = list(RequestEvent.objects.filter(pk__gt=first).values_list("pk", flat=True))

        started = time.perf_counter()
        delivery_ids = webhooks.deliveries_plan(event_ids)
        plan_s = time.perf_counter() - started

        started = time.perf_counter()
        for delivery_id in delivery_ids:
            webhooks.delivery_attempt(delivery_id)
        send_s = time.perf_counter() - started
        delivered = WebhookDelivery.objects.filter(pk__in=delivery_ids, status="delivered").count()

        bodies = list(WebhookDelivery.objects.filter(pk__in=delivery_ids).values_list("body", flat=True))
        pool = urllib3.HTTPConnectionPool("127.0.0.1", receiver.server_address[1], retries=False)
        started = time.perf_counter()
        for body in bodies:
            pool.urlopen("POST", "/bare", body=body.encode(), headers={"Content-Type": "application/json"})
        bare_s = time.perf_counter() - started

    count = len(delivery_ids)
    print(f"{connection.vendor}: {args.requests} requests × {args.subscriptions} subscriptions → {count} deliveries")
    print(f"  fan-out (stored)         {count / plan_s:8,.0f} deliveries/s")
    print(f"  sent, signed and logged  {count / send_s:8,.0f} deliveries/s  ({delivered} delivered)")
    print(
        f"  bare POSTs (yardstick)   {count / bare_s:8,.0f} POSTs/s  (sending is {send_s / bare_s:.1f}x the bare time)"
    )


if __name__ == "__main__":
    main()
