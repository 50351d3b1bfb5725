"""APScheduler wiring: the task functions the scheduler runs, and the scheduler process."""
