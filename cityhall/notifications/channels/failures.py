"""The two ways a send can fail, because only one of them is worth trying again."""


class TemporaryFailure(Exception):
    """The provider may accept it later: SMTP 4xx, a refused or dropped connection, HTTP 5xx or 429, a timeout."""


class PermanentFailure(Exception):
    """Trying again will not help: a refused address, bad credentials, a malformed number."""
