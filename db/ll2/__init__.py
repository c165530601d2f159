"""What we know of LL2's JSON: its object shapes, and how its scalar values are written."""
