"""Statistics appendix (Phụ lục 01b) catalogue and values. Owned by the catalogue work."""

__all__: list[str] = []
