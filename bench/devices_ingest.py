"""Device ingest: readings per second over HTTP and over MQTT, and alarm-to-queue time.

    python -m bench.devices_ingest [--devices 50] [--messages 1000]
    ./tools/with-postgres .venv/bin/python -m bench.devices_ingest

HTTP: SenML packs of one reading POSTed through Django's full chain in process (the test client),
each device in turn. MQTT: the same packs published with QoS 1 to a mosquitto started here on a
loopback port (tools/ensure-mosquitto), taken by the listener (`cityhall devices listen`'s loop)
until all are stored. Alarm: the time from POSTing a bin's alarm reading to its request being on
Public Works' queue page as staff load it. Uses the configured database. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from .ports import accepts_connections, free_port, wait_for


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CITYHALL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    import orjson
    import paho.mqtt.client as mqtt
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from paho.mqtt.enums import CallbackAPIVersion

    from cityhall.accounts.models import Role, User
    from cityhall.catalogue.models import Department, Service
    from cityhall.devices.models import Comparison, Device, Measurement, Rule
    from cityhall.devices.mqtt import Broker, Listener

    from .seed import prepared_city

    settings.ALLOWED_HOSTS = ["*"]
    # Pages render without `collectstatic` first, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    jurisdiction = prepared_city(1000)
    works = Department.objects.get(jurisdiction=jurisdiction, slug="public-works")
    service = Service.objects.get(jurisdiction=jurisdiction, code="other-refuse-and-recycling")
    Rule.objects.get_or_create(name="Bench bin full", kind="litter_bin", measure="fill",
                               defaults={"comparison": Comparison.ABOVE, "threshold": 80})  # fmt: skip
    Device.objects.filter(device_id__startswith="bench-").delete()
    devices: list[tuple[Device, str]] = []
    for n in range(args.devices):
        device = Device(device_id=f"bench-{n}", kind="litter_bin", lat=34.0094, lng=-118.4973, department=works,
                        service=service, rate_limit_per_minute=600)  # fmt: skip
        credential = device.issue_credential()
        device.save()
        devices.append((device, credential))

    def pack(device: Device, n: int) -> bytes:
        # Absolute times a millisecond apart, so every reading is newer than the last of its device.
        return orjson.dumps([{"bn": f"{device.device_id}:", "n": "fill", "u": "%", "v": n % 70,
                              "t": time.time() - 3600 + n / 1000}])  # fmt: skip

    client = Client()
    started = time.perf_counter()
    for n in range(args.messages):
        device, credential = devices[n % len(devices)]
        answer = client.post("/devices/v1/senml", pack(device, n), content_type="application/senml+json",
                             headers={"Authorization": f"Bearer {credential}"})  # fmt: skip
        assert answer.status_code == 202, answer.content
    http_rate = args.messages / (time.perf_counter() - started)
    print(
        f"{connection.vendor}: HTTP ingest {http_rate:,.0f} readings/s ({args.messages} packs, {args.devices} devices)"
    )

    before = Measurement.objects.count()
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        config = Path(directory) / "mosquitto.conf"
        config.write_text(f"user {os.environ.get('USER', 'root')}\nlistener {port} 127.0.0.1\nallow_anonymous true\n")
        binary = subprocess.run(["tools/ensure-mosquitto"], check=True, capture_output=True, text=True).stdout.strip()
        broker = subprocess.Popen([binary, "-c", str(config)], stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: accepts_connections(port))
            listener = Listener(Broker(port=port, client_id="bench-listener"))
            listener.connect()
            wait_for(lambda: listener.subscribed, pump=listener.loop_once)
            listener.loop_once()
            publisher = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-devices")
            publisher.connect("127.0.0.1", port)
            publisher.loop_start()
            started = time.perf_counter()
            for n in range(args.messages):
                device, _credential = devices[n % len(devices)]
                publisher.publish(f"cityhall/devices/{device.device_id}/senml", pack(device, args.messages + n), qos=1)
            stored = lambda: Measurement.objects.count() - before >= args.messages  # noqa: E731
            wait_for(stored, pump=listener.loop_once, limit=600)
            mqtt_rate = args.messages / (time.perf_counter() - started)
            publisher.loop_stop()
            listener.stop()
        finally:
            broker.terminate()
            broker.wait(timeout=10)
    print(f"{connection.vendor}: MQTT ingest {mqtt_rate:,.0f} readings/s (QoS 1, one listener); "
          f"HTTP/MQTT = {http_rate / mqtt_rate:.2f}")  # fmt: skip

    staff = User.objects.filter(email="bench-staff@example.org").first() or User.objects.create_user(
        "bench-staff@example.org", None, role=Role.STAFF, name="Bench", department=works
    )
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=staff).exists():
        TOTP.activate(staff, generate_totp_secret())  # staff pages open only with a second factor
    client.force_login(staff)
    queue = f"/staff/departments/{works.pk}/"
    device, credential = devices[0]
    started = time.perf_counter()
    answer = client.post("/devices/v1/senml", orjson.dumps([{"bn": f"{device.device_id}:", "n": "fill", "u": "%",
                         "v": 95}]), content_type="application/senml+json",
                         headers={"Authorization": f"Bearer {credential}"})  # fmt: skip
    assert answer.status_code == 202
    from cityhall.requests.models import ServiceRequest

    raised = ServiceRequest.objects.filter(device_id=device.device_id).order_by("-pk").first()
    assert raised is not None
    wait_for(lambda: raised.public_id in client.get(queue).content.decode())
    took = 1000 * (time.perf_counter() - started)
    print(f"{connection.vendor}: alarm reading to request on the staff queue {took:.0f} ms")


if __name__ == "__main__":
    main()
