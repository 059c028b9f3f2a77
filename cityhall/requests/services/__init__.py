"""The only code that writes requests. Plain functions with keyword-only, typed arguments."""

from .bulk import BulkResult, service_requests_bulk
from .feedback import service_request_feedback
from .housekeeping import service_requests_auto_close
from .import_file import CsvExport, DamagedRow, UnreadableFile
from .import_mapping import ImportMapping, load_mapping
from .imports import ImportReport, ImportStopped, service_requests_import
from .on_behalf import service_request_log_for_caller
from .priority import service_request_set_priority
from .privacy import (
    ErasedContacts,
    claimable_requests,
    service_requests_anonymise_expired,
    service_requests_anonymise_reporter,
    service_requests_claim,
)
from .submit import ClientInfo, Contact, Location, service_request_submit
from .support import service_request_support
from .transition import Change, service_request_transition
from .triage import Outcome, Triage, service_request_triage

__all__ = [
    "BulkResult",
    "Change",
    "ClientInfo",
    "Contact",
    "CsvExport",
    "DamagedRow",
    "ErasedContacts",
    "ImportMapping",
    "ImportReport",
    "ImportStopped",
    "Location",
    "Outcome",
    "Triage",
    "UnreadableFile",
    "claimable_requests",
    "load_mapping",
    "service_request_feedback",
    "service_request_log_for_caller",
    "service_request_set_priority",
    "service_request_submit",
    "service_request_support",
    "service_request_transition",
    "service_request_triage",
    "service_requests_anonymise_expired",
    "service_requests_anonymise_reporter",
    "service_requests_auto_close",
    "service_requests_bulk",
    "service_requests_claim",
    "service_requests_import",
]
