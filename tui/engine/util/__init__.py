"""Small helpers with no forktree knowledge: display formatting, fuzzy matching, GC pauses."""
