"""Trace tables and stepping: a pseudocode program watched statement by statement.

``prepare`` checks and translates the pseudocode and gathers what the child
needs to speak the pseudocode's language (``info``); ``session`` runs the
program in a child process under a tracer (``child``) and streams its events;
``table`` turns the events into an exam-style trace table. Nothing here
imports Qt: the CLI and the GUI use the same pieces.
"""
