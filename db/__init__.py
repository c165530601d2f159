"""The data layer: LL2's spacecraft graph stored in SQL, its importer, sync and exporter.

Nothing here imports `gateway`; the gateway reads through `db.read.rows`.
"""
