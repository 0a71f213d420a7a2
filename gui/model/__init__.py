"""Qt-free models of the editor: files, settings, recovery, highlighting spans, indentation, performance data (a test keeps Qt out)."""
