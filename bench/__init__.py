"""Benchmarks: `python -m bench NAME [options]` prints one JSON object of measurements."""
