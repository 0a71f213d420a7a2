"""Pseudocode Translator's engine: pseudocode -> diagnostics -> Python (no Qt here)."""

__version__ = "0.1.0"

# The largest document the engine translates, in characters (the command line refuses a
# larger file before reading it). Here, not in engine.translator, so that importing it
# costs nothing.
MAX_SOURCE_CHARS = 5_000_000
