"""SQLite and PostgreSQL store the same values, hand them back as the same Python values, and
order text the same way: byte by byte (code point order), whatever the server's locale."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from db.engine import create_engine
from db.ingest import ingest
from db.tables import ENTITY_TABLES, folded_column
from tests.support.data import dump, sample_spacecraft, write_json
from tests.support.pgserver import PostgresServer
from tests.support.richer import write_richer
from tests.support.system import missing

NAMES = ["b", "B", "a", "ab", "a b", "a-b", "É", "e", "é", "Ж", "ж", "z", "Z", "ä", "ｚ", "😀", "ß"]


async def _dumps(
    new_database: Callable[..., str], paths: list[Path]
) -> list[dict[str, list[tuple[Any, ...]]]]:
    dumps = []
    for backend in ("sqlite", "postgresql"):
        engine = create_engine(new_database(backend))
        await ingest(engine, paths)
        dumps.append(await dump(engine))
        await engine.dispose()
    return dumps


async def test_both_backends_hand_back_the_same_values(
    new_database: Callable[..., str], tmp_path: Path
) -> None:
    lite, pg = await _dumps(new_database, [write_richer(tmp_path / "source", spacecraft=60)])
    lite.pop("dataset_state")
    pg.pop("dataset_state")
    assert pg == lite
    columns = {t: [c.name for c in ENTITY_TABLES[t].columns] for t in ENTITY_TABLES}

    def value(table: str, ident: object, column: str) -> Any:
        (row,) = [r for r in pg[table] if r[0] == ident]
        return row[columns[table].index(column)]

    # The values that are easy to lose, as PostgreSQL gives them back (SQLite's are equal).
    mass = value("celestial_body", 1, "mass")
    assert (type(mass), mass) == (float, 5.972168e24)
    assert value("spacecraft_flight", 5001, "duration") == 7_200_000_017
    assert value("docking_event", 70021, "docking") == dt.datetime(1990, 4, 16, 13, 0, 0, 500_000)
    assert value("spacecraft_family", 50, "maiden_flight") == dt.date(1976, 11, 29)
    assert value("spacecraft", 10_000, "name") == "Союз МС-0"
    assert value("agency", 63, "extra") == {
        "nickname": "Ласточка",
        "ratings": {"stars": [5, 4.5, None], "note": "très bien"},
    }
    assert value("mission", 159, "info_urls")[0]["title"] == "Восток-5"


def _linguistic_database(pg_server: PostgresServer | None) -> str:
    """A PostgreSQL database whose default collation orders text as English does (a < B < b)."""
    if pg_server is None:
        missing("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    assert pg_server is not None
    pg_server.psql(
        "CREATE DATABASE linguistic TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' "
        "LOCALE 'C.UTF-8'"
    )
    return pg_server.url("linguistic")


async def test_text_orders_byte_by_byte_on_both_backends(
    new_database: Callable[..., str], pg_server: PostgresServer | None, tmp_path: Path
) -> None:
    template = sample_spacecraft()[0]
    results = []
    for i, text in enumerate(NAMES):
        spacecraft = copy.deepcopy(template)
        spacecraft.update(id=20_000 + i, name=text)
        results.append(spacecraft)
    page = {"count": len(results), "next": None, "previous": None, "results": results}
    path = write_json(tmp_path / "spacecraft.json", page)
    table = ENTITY_TABLES["spacecraft"]
    name, folded = table.c.name, table.c[folded_column("name")]
    expected = sorted(NAMES, key=lambda s: s.encode())
    expected_folded = sorted((n.casefold() for n in NAMES), key=lambda s: s.encode())
    orders = {}
    for url in (new_database("sqlite"), _linguistic_database(pg_server)):
        engine = create_engine(url)
        await ingest(engine, [path])  # migrates the new database first
        async with engine.connect() as conn:

            async def ordered(
                column: sa.ColumnElement[str], by: sa.ColumnElement[str]
            ) -> list[str]:
                return list((await conn.execute(sa.select(column).order_by(by))).scalars())

            orders[engine.dialect.name] = (await ordered(name, name), await ordered(folded, folded))
            if engine.dialect.name == "postgresql":
                # The database's own collation orders otherwise: the columns' C collation is
                # what makes PostgreSQL agree with SQLite.
                assert await ordered(name, sa.collate(name, "default")) != expected
        await engine.dispose()
    assert orders == {
        "sqlite": (expected, expected_folded),
        "postgresql": (expected, expected_folded),
    }
