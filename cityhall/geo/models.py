"""A city's streets and named places, the data of the built-in geocoder (cityhall/geo/geocoding)."""

from __future__ import annotations

from django.db import models

from cityhall.catalogue.models import Jurisdiction


class StreetSegment(models.Model):
    """One piece of street centerline between two junctions, with its TIGER-style address ranges.

    Left and right are as seen travelling along `coordinates` from the first point to the last; the
    `from` number is at the first point. 0 on both ends means the side has no addresses.
    """

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="street_segments")
    name = models.CharField(max_length=120, help_text="As published, e.g. “MAIN ST” or “ALTA PL NORTH”.")
    kind = models.CharField(max_length=20, blank=True, help_text="STREET, ALLEY, WALKWAY, …")
    left_from = models.IntegerField(default=0)
    left_to = models.IntegerField(default=0)
    right_from = models.IntegerField(default=0)
    right_to = models.IntegerField(default=0)
    coordinates = models.JSONField(help_text="GeoJSON LineString coordinates: [[lng, lat], …].")

    class Meta:
        indexes = [models.Index(fields=["jurisdiction", "name"], name="street_segment_name")]

    def __str__(self) -> str:
        return self.name


class NamedPlace(models.Model):
    """A place a resident may name instead of an address: a park, a library, the pier."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="named_places")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=40, blank=True)
    lat = models.FloatField()
    lng = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["jurisdiction", "name"], name="named_place_name")]

    def __str__(self) -> str:
        return self.name


class StreetAlias(models.Model):
    """Another name residents use for a street: “PCH” for Palisades Beach Rd."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="street_aliases")
    alias = models.CharField(max_length=120)
    name = models.CharField(max_length=120, help_text="The street's name as in StreetSegment.name.")

    def __str__(self) -> str:
        return f"{self.alias} → {self.name}"
