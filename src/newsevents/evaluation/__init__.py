"""Evaluation against gold data: scorers shared by `newsevents evaluate` and benchmarks/."""
