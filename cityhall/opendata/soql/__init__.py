"""SoQL, the Socrata query language (the subset we serve): parsed with lark, compiled to bound SQL.

Pure: no Django. `cityhall.opendata.soda` runs the compiled query on the site's database.
"""

from .build import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, compile_query
from .compiler import Compiled, Output, SoqlColumn
from .dialect import Dialect
from .errors import SoqlError
from .params import query_from_params

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "Compiled",
    "Dialect",
    "Output",
    "SoqlColumn",
    "SoqlError",
    "compile_query",
    "query_from_params",
]
