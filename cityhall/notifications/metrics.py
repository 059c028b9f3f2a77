"""The notifications app's metrics (docs/operations.md, "Metrics"): the outbox backlog, read from the
database on each scrape, and the SLA sweep's duration, timed by the task that runs it."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from cityhall.core import clock

from . import selectors
from .models import Channel

SLA_SWEEP_SECONDS = Histogram(
    "cityhall_sla_sweep_duration_seconds",
    "Time one SLA sweep took: finding requests at 75% of their SLA or overdue, and warning about them.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)


def outbox_figures() -> Iterable[Metric]:
    backlog = GaugeMetricFamily(
        "cityhall_notification_outbox_backlog",
        "Messages stored and not yet sent: pending their first attempt or a retry, by channel.",
        labels=["channel"],
    )
    oldest = GaugeMetricFamily(
        "cityhall_notification_outbox_oldest_pending_age_seconds",
        "How long the oldest message waiting to be sent has waited (0 when none waits).",
    )
    sending = GaugeMetricFamily(
        "cityhall_notification_outbox_sending",
        "Messages claimed by a worker and not yet sent or failed (one a killed worker left stays here an hour).",
    )
    figures = selectors.outbox_backlog()
    for channel in Channel.values:
        backlog.add_metric([channel], figures.pending.get(channel, 0))
    since = figures.oldest_pending
    oldest.add_metric([], max(0.0, (clock.now() - since).total_seconds()) if since else 0)
    sending.add_metric([], figures.sending)
    yield from (backlog, oldest, sending)
