"""Admin of the statistics catalogue."""
