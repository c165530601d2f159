"""The GraphQL types, one module per family of LL2 objects; `registry` names them all."""
