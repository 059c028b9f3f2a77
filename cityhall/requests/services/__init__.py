"""The only code that writes requests. Plain functions with keyword-only, typed arguments."""

from .housekeeping import service_requests_auto_close
from .import_mapping import ImportMapping, load_mapping
from .imports import ImportReport, service_requests_import
from .submit import ClientInfo, Contact, Location, service_request_submit
from .support import service_request_support
from .transition import Change, service_request_transition

__all__ = [
    "Change",
    "ClientInfo",
    "Contact",
    "ImportMapping",
    "ImportReport",
    "Location",
    "load_mapping",
    "service_request_submit",
    "service_request_support",
    "service_request_transition",
    "service_requests_auto_close",
    "service_requests_import",
]
