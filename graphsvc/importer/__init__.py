"""The import pipeline: a folder of CSV / JSON Lines files in the import format into the graph.

`import_folder(store, folder, settings=...)` is the one entry point (the CLI, tests, demo and
benchmarks all use it); see `graphsvc.importer.pipeline` for the rules it follows.
"""

from __future__ import annotations

from graphsvc.importer.pipeline import import_folder

__all__ = ["import_folder"]
