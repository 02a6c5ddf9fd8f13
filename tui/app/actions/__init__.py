"""The main screen's actions, grouped by what they act on; each calls the session
controller or the engine."""
