"""File history: what tools changed in a session's folder, kept to restore and compare."""
