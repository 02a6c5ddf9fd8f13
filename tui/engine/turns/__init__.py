"""Running a turn: the session runtime (state machine, queue, limits), streaming a reply
into the store, the tool step, compaction and model-made titles."""
