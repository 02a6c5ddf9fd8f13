"""Default models, kept apart so listing providers does not import their HTTP clients."""

ANTHROPIC_MODEL = "claude-sonnet-4-5"
OPENAI_MODEL = "gpt-4o-mini"
CLAUDE_CODE_MODEL = "claude-code"
