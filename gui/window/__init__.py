"""The main window and what it is made of: document tabs, the start page, the debugging docks' wiring."""
