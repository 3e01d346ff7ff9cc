"""newsroom: monitoring pipeline for press coverage of AI and digital sovereignty.

Stages, one module (or small package) each: feeds → fetch → extract → enrich → store/ingest → alerts/coverage.
"""

__version__ = "0.1.0"
