"""The command line, run outputs, calibration report and policy lab around the model.

The model in `sim/` reads scenarios and writes nothing; everything that writes
files or talks to a user on the command line lives here.
"""
