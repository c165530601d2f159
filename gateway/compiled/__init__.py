"""The compiled path: a whole query answered by one SQL statement that builds the JSON.

Resolving field by field costs Python time per field and per node. When every field an
operation selects maps to columns and relations, `compile_operation` turns it (after parsing
and validation) into one statement whose result is the response's `data`, built by the
database (`json_object` on SQLite, `json_build_object` on PostgreSQL), and spliced into the
response without resolving anything. Anything else (introspection, `node`, value lists) returns
None, and the resolvers answer as before; a differential test holds both paths to the same
results.
"""

from gateway.compiled.run import (
    CompiledCache,
    CompiledOperation,
    TooDeepForDatabase,
    compile_operation,
)

__all__ = ["CompiledCache", "CompiledOperation", "TooDeepForDatabase", "compile_operation"]
