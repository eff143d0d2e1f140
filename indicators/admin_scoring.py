"""Admin of criteria sets and assessments."""
