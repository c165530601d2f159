"""Argument handling: filters, search, orderings and cursors become SQL; pages become connections.

Nothing here knows HTTP; the SQL is built over `db.tables` and run by `gateway.loaders`.
"""
