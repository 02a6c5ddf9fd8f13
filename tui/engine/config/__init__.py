"""Settings and paths: where the store and settings live, and the settings file."""
