"""Kibana dashboards for newsroom: saved objects generated from the index templates, and their import."""

from pipeline.kibana.client import (
    ImportResult,
    KibanaError,
    ObjectError,
    check,
    import_saved_objects,
    import_url,
    import_with_settings,
)
from pipeline.kibana.objects import NDJSON_PATH, data_view_id, saved_objects, to_ndjson, write_ndjson

__all__ = [
    "NDJSON_PATH",
    "ImportResult",
    "KibanaError",
    "ObjectError",
    "check",
    "data_view_id",
    "import_saved_objects",
    "import_url",
    "import_with_settings",
    "saved_objects",
    "to_ndjson",
    "write_ndjson",
]
