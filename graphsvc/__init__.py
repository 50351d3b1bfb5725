"""graphsvc: a graph of children, offenders, addresses and incidents, with rules that flag risk."""

__version__ = "0.1.0"
