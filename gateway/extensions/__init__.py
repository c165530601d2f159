"""Schema extensions: cross-cutting behaviour added to every operation."""
