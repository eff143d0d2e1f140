"""PAR-index criteria sets, assessments, scores, rankings. Owned by the scoring work."""

__all__: list[str] = []
