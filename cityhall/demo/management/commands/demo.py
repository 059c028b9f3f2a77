"""`cityhall demo`: load Santa Monica — boundary, neighbourhoods, catalogue, 61,100 real requests, open work, people."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from cityhall.accounts.models import User
from cityhall.accounts.roles import Role
from cityhall.applications.selectors import services_offered
from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.models import Jurisdiction
from cityhall.dashboards.selectors import has_data as dashboards_have_data
from cityhall.dashboards.services import rebuild as rebuild_rollups
from cityhall.demo.application_cases import create_sample_applications
from cityhall.demo.applications import load_digital_services
from cityhall.demo.catalogue import DATA, load_catalogue
from cityhall.demo.devices import load_demo_devices
from cityhall.demo.documents import sample_permit
from cityhall.demo.partners import demo_partner_key, partner_lines
from cityhall.demo.people import ensure_accounts, sign_in_lines
from cityhall.demo.scenario import create_open_work
from cityhall.demo.streets import load_demo_streets
from cityhall.geo.selectors import has_streets
from cityhall.opendata.services import projection_rebuild
from cityhall.requests import selectors
from cityhall.requests.services import CsvExport, load_mapping, service_requests_import

HISTORY = DATA / "santa_monica_go_requests_2005_2017.csv"
MAPPING = DATA / "santa_monica_mapping.toml"
DEMO_CITY = "smgov.net"  # the demo catalogue's Open311 jurisdiction_id


class Command(BaseCommand):
    help = "Load the Santa Monica demo (safe to run again: nothing is loaded twice)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing but print the sign-ins if the demo is loaded."
        )
        parser.add_argument("--no-history", action="store_true", help="Skip the 61,100 historical requests.")

    def handle(self, *args: Any, if_empty: bool, no_history: bool, **options: Any) -> None:
        city = catalogue.jurisdiction_named(DEMO_CITY)
        loaded = city is not None and selectors.has_requests(city)
        if not (if_empty and loaded):
            self._load(history=not no_history)
        elif city is not None and not has_streets():  # a demo loaded before address search existed
            load_demo_streets(city)
        if city is not None and if_empty and loaded and not services_offered().exists():  # loaded before issue 17
            self._digital_services(city, ensure_accounts(city))
        city = catalogue.jurisdiction_named(DEMO_CITY)
        if city is not None:  # also into a demo loaded before there were devices
            self.stdout.write(f"Devices: {load_demo_devices(city)} added.")
        if not (if_empty and loaded) or not dashboards_have_data():
            self.stdout.write(f"Dashboards: rollups rebuilt from {rebuild_rollups()} requests.")
        if (demo_city := catalogue.jurisdiction_named(DEMO_CITY)) is not None:
            permit = sample_permit(ensure_accounts(demo_city))  # once; a demo loaded before signing gets it too
            self.stdout.write(f"Signed sample permit: {settings.CITYHALL_PUBLIC_URL}/verify/{permit.number}")
        lines = sign_in_lines(settings.CITYHALL_PUBLIC_URL)
        if (demo_city := catalogue.jurisdiction_named(DEMO_CITY)) is not None:
            lines += partner_lines(settings.CITYHALL_PUBLIC_URL, demo_partner_key(demo_city))
        for line in lines:
            self.stdout.write(line)

    def _digital_services(self, jurisdiction: Jurisdiction, people: dict[Role, User]) -> None:
        forms = load_digital_services(jurisdiction, by=people[Role.ADMIN])
        made = create_sample_applications(people)
        self.stdout.write(f"Digital services: {len(forms)} forms, {made} sample applications.")

    def _load(self, *, history: bool) -> None:
        started = time.monotonic()
        jurisdiction = load_catalogue()
        people = ensure_accounts(jurisdiction)
        self.stdout.write(
            f"Catalogue: {catalogue.services_of(jurisdiction).count()} services, "
            f"{catalogue.zones_of(jurisdiction.pk).count()} neighborhoods."
        )
        streets = load_demo_streets(jurisdiction)
        self.stdout.write(f"Streets: {streets.segments} segments, {streets.places} named places.")
        if history:
            mapping = load_mapping(MAPPING)
            export = CsvExport(HISTORY, mapping.delimiter)
            with tqdm(
                total=export.check(), unit="rows", desc="Historical requests", file=sys.stderr, disable=None
            ) as bar:
                report = service_requests_import(
                    jurisdiction=jurisdiction, rows=export.rows(), mapping=mapping, on_progress=bar.update
                )
            self.stdout.write(
                f"History: {report.imported} imported, {report.unchanged} already present, {report.skipped} skipped."
            )
        if not selectors.has_requests(jurisdiction, made_here=True):
            made = create_open_work(jurisdiction, people)
            self.stdout.write(f"Open work: {made} requests across every status.")
        self._digital_services(jurisdiction, people)
        published = projection_rebuild()  # the importer writes in bulk, past the after-commit upkeep
        self.stdout.write(f"Open data: {published.requests} requests, {published.updates} updates published.")
        self.stdout.write(self.style.SUCCESS(f"Santa Monica demo ready in {time.monotonic() - started:.0f} s."))
