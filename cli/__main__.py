"""`python -m cli …` runs the `graphsvc` command (for a child process of this interpreter)."""

from cli import main

main(prog_name="graphsvc")
