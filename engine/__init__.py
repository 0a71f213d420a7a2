"""Pseudocode Translator's engine: pseudocode -> diagnostics -> Python (no Qt here)."""

__version__ = "0.1.0"
