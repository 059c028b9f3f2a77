"""The only code that writes the devices' tables."""

from .credentials import device_credential_issue, device_credential_revoke
from .ingest import device_ingest
from .offline import devices_offline_sweep
from .retention import measurements_sweep
from .simulate import devices_simulate

__all__ = [
    "device_credential_issue",
    "device_credential_revoke",
    "device_ingest",
    "devices_offline_sweep",
    "devices_simulate",
    "measurements_sweep",
]
