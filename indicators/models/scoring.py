"""Migration 0001 names these callables by this path; they live in ``indicators.scoring.models``."""

from ..scoring.models import default_bands, evidence_storage, export_storage

__all__ = ["default_bands", "evidence_storage", "export_storage"]
