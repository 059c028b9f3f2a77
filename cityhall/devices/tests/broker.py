"""Debian's mosquitto on a free loopback port, configured as production is: no anonymous clients, a
password per device (its credential), and an ACL that lets each device write only to its own topic.

`make test` finds (or installs) mosquitto with tools/ensure-mosquitto and passes its path in
CITYHALL_MOSQUITTO. One broker per test that asks for it, stopped after.
"""

from __future__ import annotations

import getpass
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from bench.ports import accepts_connections, free_port, wait_for
from cityhall.devices.mqtt import Broker
from tests.debian_tools import ensured

LISTENER = ("cityhall-listener", "listener-secret")
PASSWD = "/usr/bin/mosquitto_passwd"  # from Debian's mosquitto package


def _mosquitto() -> str:
    return ensured("CITYHALL_MOSQUITTO", "ensure-mosquitto")


@dataclass
class Mosquitto:
    port: int
    directory: Path
    process: subprocess.Popen[bytes]
    clients: list[mqtt.Client] = field(default_factory=list)

    @property
    def listener(self) -> Broker:
        return Broker(port=self.port, username=LISTENER[0], password=LISTENER[1], client_id=f"listener-{self.port}")

    def add_user(self, name: str, password: str) -> None:
        """Give a device (or the listener) its broker password, and have the broker read the file again."""
        subprocess.run([PASSWD, "-b", str(self.directory / "passwd"), name, password], check=True)
        self.process.send_signal(signal.SIGHUP)

    def device(self, device_id: str, credential: str) -> mqtt.Client:
        """A device's connection, authenticated as itself; its network loop runs in paho's thread."""
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=device_id)
        client.username_pw_set(device_id, credential)
        # Refused while the broker has not yet reread its password file: paho tries again shortly.
        client.reconnect_delay_set(min_delay=1, max_delay=1)
        client.connect("127.0.0.1", self.port)
        client.loop_start()
        self.clients.append(client)
        wait_for(client.is_connected)
        return client


@pytest.fixture
def mosquitto(tmp_path) -> Iterator[Mosquitto]:
    port = free_port()
    (tmp_path / "passwd").touch()
    (tmp_path / "acl").write_text(
        f"user {LISTENER[0]}\ntopic read cityhall/devices/+/senml\n\npattern write cityhall/devices/%u/senml\n"
    )
    (tmp_path / "mosquitto.conf").write_text(
        # Run as whoever runs the tests (as root, mosquitto would switch to its own user and lose the files).
        f"user {getpass.getuser()}\nlistener {port} 127.0.0.1\nallow_anonymous false\n"
        f"password_file {tmp_path / 'passwd'}\nacl_file {tmp_path / 'acl'}\n"
        f"persistence false\nlog_dest file {tmp_path / 'broker.log'}\nlog_type all\n"
    )
    subprocess.run([PASSWD, "-b", str(tmp_path / "passwd"), *LISTENER], check=True)
    process = subprocess.Popen(
        [_mosquitto(), "-c", str(tmp_path / "mosquitto.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    broker = Mosquitto(port=port, directory=tmp_path, process=process)
    try:
        wait_for(lambda: accepts_connections(port))
        yield broker
    finally:
        for client in broker.clients:
            client.loop_stop()
            client.disconnect()
        process.terminate()
        process.wait(timeout=10)
