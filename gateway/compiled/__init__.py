"""The compiled path: a whole query answered by one SQL statement that builds the JSON.

Resolving field by field costs Python time per field and per node. When every field an
operation selects maps to columns and relations, the planner (`plan`) turns it (after parsing
and validation) into a plan of plain values (`db.read.selection`), `db.read.answer` builds the
one statement whose result is the response's `data`, written by the database (`json_object` on
SQLite, `json_build_object` on PostgreSQL), and `run` keeps it per document and variable shape
and binds each request's values. Anything else (introspection, `node`, value lists) returns
None, and the resolvers answer as before; a differential test holds both paths to the same
results.
"""

from db.read.prepared import CompiledOperation, TooDeepForDatabase
from gateway.compiled.run import CompiledCache, PlanCache, compile_operation

__all__ = [
    "CompiledCache",
    "CompiledOperation",
    "PlanCache",
    "TooDeepForDatabase",
    "compile_operation",
]
