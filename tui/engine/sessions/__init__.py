"""Sessions and messages: the data model, the branch algebra over the message tree, and the
operations that write branches (fork, revert, edit, checkpoint)."""
