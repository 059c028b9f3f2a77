"""`cityhall devices listen`: take the devices' SenML messages from the MQTT broker (docs/devices.md, *MQTT*)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityhall.devices.mqtt import TOPICS, Broker, Listener


class Command(BaseCommand):
    help = "Devices: `listen` subscribes to every device's MQTT topic and stores what they send."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["listen"])

    def handle(self, *args: Any, **options: Any) -> None:
        broker = Broker.from_settings()
        listener = Listener(broker)
        self.stdout.write(f"Listening to {TOPICS} on {broker.host}:{broker.port} (Ctrl-C stops).")
        listener.connect()
        try:
            listener.run_forever()
        except KeyboardInterrupt:
            listener.stop()
