"""The ways a message leaves CityHall. Each raises TemporaryFailure (try again later) or PermanentFailure."""

from .failures import PermanentFailure, TemporaryFailure

__all__ = ["PermanentFailure", "TemporaryFailure"]
