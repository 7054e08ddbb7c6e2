"""Scenes on a stack: title, loading, play, influence map, debrief, settings."""
