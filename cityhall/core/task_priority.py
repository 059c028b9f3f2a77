"""Which queued work the worker takes first when it is behind (django-tasks runs higher priorities first).

Every commit queues both kinds: messages to people, which someone is waiting for, and the upkeep of
derived figures (dashboard rollups, the open-data projection), which may catch up a minute late at no
one's cost. Without an order, a burst of reports put each receipt email behind the burst's upkeep.
"""

from __future__ import annotations

UPKEEP = -10  # below django-tasks' default (0), which the messages keep
# Partners' webhooks: machines, after the people's messages, before the figures' upkeep. A receiver
# that times out holds the worker for seconds, and a person's receipt should not wait behind it.
PARTNERS = -5
