"""Answering again without working again: every cache of the request path, each in its module.

    documents.py   parsed documents and validation results, by query text (both paths share them)
    persisted.py   Automatic Persisted Queries (Apollo's protocol): hashes stand for query texts
    keys.py        what identifies an answer: the request's digest and the dataset's version
    version.py     the dataset's version, read on the request's own read transaction
    results.py     whole response bodies of successful answers, bounded, per process
    conditional.py HTTP caching of GET answers: ETag, Cache-Control, 304 on If-None-Match
    steps.py       the two calls the view makes around execution (`lookup`, then `keep`)
    store.py       the bounded LRU store the result cache and the persisted queries share

Correct across worker processes without talking to them: an answer is keyed on the dataset's
version, which the database bumps in the same transaction as any change of data, and every
request reads it. This package imports nothing at import time, so `gateway.http` can use its
modules without a cycle.
"""
