"""Writers for bulk downloads: any dataset's or query's columns and rows as CSV, GeoJSON or Parquet.

Each takes the columns (name and Socrata type) and an iterator of rows in that order, and streams:
`stream_csv` and `stream_geojson` yield UTF-8 pieces, `stream_parquet` yields the file row group by
row group, `write_parquet` writes it to a file. Memory stays constant whatever the row count.
"""

from .chunks import gzipped
from .csv import stream_csv
from .geojson import stream_geojson
from .parquet import stream_parquet, write_parquet

__all__ = ["gzipped", "stream_csv", "stream_geojson", "stream_parquet", "write_parquet"]
