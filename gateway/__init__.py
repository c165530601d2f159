"""The spacecraft GraphQL gateway: LL2's spacecraft data as one connected graph."""

__version__ = "0.1.0"
