"""How the site names its city, alone or inside a sentence, and what it says while no city is set up.

A heading, a page title or an email's sender shows the name alone ("City of Santa Monica"); a sentence
names it with its article ("Stop emails from the City of Santa Monica", "de la Ciudad de Santa
Mónica"). The article belongs to the language, so it is one translated phrase here, and a sentence's
own words take it whole (`%(the_city)s`). A site with no city yet (a new deployment, or a page drawn
while the database is away) never speaks as the product: it is "City services" alone and "the city"
in a sentence, which reads naturally wherever the city's name would stand.
"""

from __future__ import annotations

from django.utils.translation import pgettext, pgettext_lazy

NO_CITY_NAME = pgettext_lazy("the site's name while no city is set up", "City services")
NO_CITY_IN_SENTENCE = pgettext_lazy("the city inside a sentence", "the city")


def alone(name: str | None) -> str:
    """The name as a heading, a title or a sender shows it; None: no city is set up."""
    return name if name else str(NO_CITY_NAME)


def in_sentence(name: str | None) -> str:
    """The name with its article, as a sentence says it; None: no city is set up."""
    if not name:
        return str(NO_CITY_IN_SENTENCE)
    return pgettext("the city inside a sentence", "the %(city)s") % {"city": name}
