"""Page builders: each is a function of the `Library` that returns markdown."""
