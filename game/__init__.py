"""Samenspel's front end: a pygame-ce game on top of the simulation in `sim/`."""
