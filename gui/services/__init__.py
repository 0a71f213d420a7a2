"""QObjects without widgets: the engine service and its bridge, live translation, runs, tracing, folder batches, quit signals, background work."""
