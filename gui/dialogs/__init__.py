"""Dialogs and separate windows: message boxes, settings, folder-batch progress, the language reference."""
