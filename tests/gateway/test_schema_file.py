"""schema.graphql is what the code serves, and every part of it is described."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from gateway.schema import schema, sdl

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_is_what_the_code_serves() -> None:
    committed = (ROOT / "schema.graphql").read_text()
    assert committed == sdl(), (
        "schema.graphql is stale: run `spacecraft-gateway export-schema > schema.graphql`"
    )


def test_export_schema_command_prints_the_schema() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "export-schema"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert out == sdl()


def test_every_type_field_and_argument_has_a_description() -> None:
    missing: list[str] = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Float", "Boolean", "ID"):
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({a})"
                    for a, arg in field.args.items()
                    if not arg.description
                ]
        elif isinstance(graphql_type, GraphQLInputObjectType):
            missing += [
                f"{name}.{f}" for f, field in graphql_type.fields.items() if not field.description
            ]
        elif isinstance(graphql_type, GraphQLEnumType):
            missing += [
                f"{name}.{v}" for v, value in graphql_type.values.items() if not value.description
            ]
    assert missing == []
