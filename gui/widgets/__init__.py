"""Reusable widgets: the code editor and Python view, panes, panels, docks, find bar, highlighters."""
