"""The service's settings, from the environment (pydantic-settings), each with a default.

`DATABASE_URL` and `DATABASE_READ_URL` are read as they are, since every command shares them; the
rest are read with the `GATEWAY_` prefix (`GATEWAY_PORT=9000`). Lists are comma-separated
(`GATEWAY_CORS_ORIGINS=https://a.example,https://b.example`). README.md's "Settings" section has
the table; a test keeps the two in step.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from db.engine import DEFAULT_CONNECT_TIMEOUT, DEFAULT_DATABASE_URL, async_url
from db.sync.durations import format_seconds, parse_duration
from db.sync.options import DEFAULT_MAX_TOTAL_WAIT

CommaList = Annotated[list[str], NoDecode]


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", validate_by_name=True, frozen=True, extra="forbid"
    )

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("DATABASE_URL", "database_url"),
        description="The database: `sqlite:///PATH` or `postgresql://USER:PASS@HOST:PORT/DB`. "
        "`serve` loads the bundled dataset into it when it is empty.",
    )
    database_read_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_READ_URL", "database_read_url"),
        description="A replica that answers the API's reads; `DATABASE_URL` when unset.",
    )
    database_connect_timeout: float = Field(
        default=DEFAULT_CONNECT_TIMEOUT,
        gt=0,
        validation_alias=AliasChoices("DATABASE_CONNECT_TIMEOUT", "database_connect_timeout"),
        description="Seconds PostgreSQL gets to accept a connection and answer its start-up, "
        "for every command; a server that never answers is reported after this long.",
    )
    host: str = Field(default="127.0.0.1", description="The address `serve` listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="The port `serve` listens on.")
    workers: int = Field(default=1, ge=1, description="Worker processes `serve` starts.")
    cors_origins: CommaList = Field(
        default=["*"],
        description="Origins whose browser pages may call the API; `*` allows any (the API is "
        "public and read-only). Other origins get no CORS headers.",
    )
    cors_max_age: int = Field(
        default=600, ge=0, description="Seconds a browser may cache a preflight answer."
    )
    allowed_hosts: CommaList = Field(
        default=["*"],
        description="Host names the service answers to (`*.example.com` allowed); others get 400.",
    )
    trusted_proxies: CommaList = Field(
        default=[],
        description="Addresses or networks (`10.0.0.0/8`) of reverse proxies whose "
        "`X-Forwarded-For` and `X-Forwarded-Proto` are believed; `*` trusts any. Empty: none.",
    )
    root_path: str = Field(
        default="",
        description="The path prefix a reverse proxy serves the gateway under (`/api`); links "
        "and redirects include it.",
    )
    compression_min_size: int = Field(
        default=1024,
        ge=0,
        description="Responses of at least this many bytes are compressed (brotli or gzip, "
        "as the client asks).",
    )
    max_body_size: int = Field(
        default=1_048_576,
        ge=1,
        description="The largest POST body accepted, in bytes; larger get 413.",
    )
    shutdown_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds requests in flight get to finish after SIGTERM before they are cut.",
    )
    readiness_timeout: float = Field(
        default=3.0,
        gt=0,
        description="Seconds the database gets to answer `/readyz` (503 after that) and the "
        "schema check at start.",
    )
    access_log: bool = Field(default=True, description="Write one JSON line per request to stdout.")
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="The least severe log level written."
    )
    sync_every: str | None = Field(
        default=None,
        description="Run `spacecraft-gateway sync` again and again at this interval (`1h`, "
        "`30m`) in a process beside the server; unset: never.",
    )
    sync_base_url: str = Field(
        default="https://ll.thespacedevs.com/2.3.0",
        description="LL2's API root for the background sync.",
    )
    sync_max_total_wait: str = Field(
        default=format_seconds(DEFAULT_MAX_TOTAL_WAIT),
        description="The most a sync run may wait for LL2's allowance in all (`3h`, `90m`), "
        "after which it stops (`spacecraft-gateway sync` exits 75) and the next run resumes; "
        "`sync --max-total-wait` overrides it.",
    )
    body_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a client gets to send a request's body; slower ones get 408 and "
        "the connection is closed.",
    )
    header_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a client gets to send a request's line and headers, the first "
        "request of a connection or the next; slower ones get 408 (silence: the connection is "
        "closed).",
    )
    linger_time: float = Field(
        default=10.0,
        ge=0,
        description="Seconds the server goes on reading (and discarding) the rest of a body it "
        "refused (413, 408) before closing, so that the client reads the refusal rather than a "
        "reset, as nginx's lingering close does.",
    )
    linger_bytes: int = Field(
        default=33_554_432,
        ge=0,
        description="The most bytes of a refused body read and discarded before closing.",
    )
    max_connections: int = Field(
        default=0,
        ge=0,
        description="Connections each worker process holds; past it the oldest idle one is "
        "closed, or the new one refused with 503. 0: the limit on open files (raised to its hard "
        "limit at start) less 128 kept for the database and files.",
    )
    execution_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds an operation may run; longer ones are cut and answered with "
        "`TIMEOUT`.",
    )
    max_query_size: int = Field(
        default=65_536,
        ge=1,
        description="The largest GraphQL document accepted, in bytes (`QUERY_TOO_LARGE`).",
    )
    max_tokens: int = Field(
        default=5_000,
        ge=1,
        description="The most lexical tokens a document may hold (`MAX_TOKENS_EXCEEDED`), "
        "counted before it is parsed.",
    )
    max_depth: int = Field(
        default=16,
        ge=1,
        description="The deepest nesting of fields, the root field counting 1, through "
        "fragments (`MAX_DEPTH_EXCEEDED`); introspection has its own bound.",
    )
    max_aliases: int = Field(
        default=30,
        ge=0,
        description="The most aliases an operation may use, through fragments "
        "(`MAX_ALIASES_EXCEEDED`).",
    )
    max_directives: int = Field(
        default=50,
        ge=0,
        description="The most directives an operation may use, through fragments "
        "(`MAX_DIRECTIVES_EXCEEDED`).",
    )
    max_page_size: int = Field(
        default=100,
        ge=0,
        le=100,
        description="The largest `first` or `last` a connection accepts (`BAD_USER_INPUT`); "
        "100 at most.",
    )
    max_cost: int = Field(
        default=50_000,
        ge=1,
        description="The most nodes an operation may ask for: the product of `first`/`last` "
        "(10 when omitted) down every path of nested connections, summed "
        "(`COST_LIMIT_EXCEEDED`). Every answer reports its `extensions.cost`.",
    )
    rate_limit: int = Field(
        default=0,
        ge=0,
        description="Nodes (see `GATEWAY_MAX_COST`; at least 1 a request) each client may ask "
        "for per minute, per worker; more get 429 with `Retry-After`. 0: no limit. The client "
        "is the remote address, or the forwarded one from a trusted proxy.",
    )
    introspection: bool = Field(
        default=True, description="Answer introspection queries (`__schema`, `__type`)."
    )
    explorer: bool = Field(
        default=True, description="Serve the GraphiQL explorer to browsers at `/graphql`."
    )
    compiled: bool = Field(
        default=True,
        description="Answer queries whose every field maps to the tables with one SQL statement "
        "that builds the JSON (the compiled path); off: always resolve field by field.",
    )
    cache: bool = Field(
        default=True,
        description="Caches of answers: the result cache and HTTP caching of GET answers (ETag, "
        "304, Cache-Control). Off (for measuring the work itself): every request is executed and "
        "no statement is added; parsed and validated documents, compiled SQL and persisted "
        "queries stay cached, as in any GraphQL server.",
    )
    result_cache_size: int = Field(
        default=1000,
        ge=0,
        description="Answers the result cache keeps per worker process (successful ones, by "
        "request and dataset version); 0 turns it off.",
    )
    result_cache_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1,
        description="The most bytes of answers the result cache keeps per worker process.",
    )
    known_requests: int = Field(
        default=10_000,
        ge=1,
        description="Requests remembered per worker process by their exact bytes (a few hundred "
        "bytes each), so that asked again they are answered from the caches without being "
        "parsed, validated or costed again.",
    )
    version_lease: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description="PostgreSQL: each worker process holds the dataset's version in memory "
        "under a lease of this many seconds, renewed every quarter of it, instead of reading it "
        "for every request. "
        "Writers (import, sync, synth) notify new versions and return only once every worker has "
        "taken theirs or its lease has run out, so no answer after them is old. 0: read it for "
        "every request.",
    )
    cache_max_age: int = Field(
        default=0,
        ge=0,
        description="Seconds browsers and proxies may reuse a GET answer without asking "
        "(`Cache-Control: public, max-age=N`). At 0 they revalidate with the ETag each time and "
        "get 304 while the data is unchanged, so no one sees old data after an import.",
    )
    persisted_queries: int = Field(
        default=1000,
        ge=0,
        description="Query texts kept per worker process for Automatic Persisted Queries "
        "(Apollo's protocol: a SHA-256 hash instead of the query); 0 turns them off.",
    )
    persisted_queries_bytes: int = Field(
        default=8 * 1024 * 1024,
        ge=1,
        description="The most bytes of query texts kept for persisted queries per worker process.",
    )
    metrics: bool = Field(
        default=True,
        description="Serve Prometheus metrics at `/metrics` (requests, latency, database "
        "statements and pool, caches, the dataset's version and age, the last sync), one view "
        "over every worker process.",
    )
    metrics_token: str | None = Field(
        default=None,
        description="When set, `/metrics` answers only requests bearing "
        "`Authorization: Bearer <token>` (401 otherwise).",
    )
    metrics_operations: int = Field(
        default=100,
        ge=0,
        description="Distinct GraphQL operation names each worker process reports as metric "
        "labels, of operations that passed validation; further names, and names that are not "
        "GraphQL names of up to 64 characters, are counted as `(other)`, names of requests "
        "refused before validation as `(unknown)`.",
    )
    trusted_documents: str | None = Field(
        default=None,
        description="A manifest of trusted documents (a JSON object of SHA-256 -> document "
        "text, as GraphQL Code Generator's `persisted-documents.json` and Relay's persisted "
        "queries file are): `/graphql` then runs only those, named by their hash or sent as "
        "their exact text, and refuses others (`PERSISTED_QUERY_NOT_FOUND`, "
        "`PERSISTED_QUERY_NOT_IN_LIST`); the explorer is off. Unset: any document runs.",
    )
    trusted_documents_explorer: bool = Field(
        default=False,
        description="With `GATEWAY_TRUSTED_DOCUMENTS`, serve the explorer all the same, and run "
        "operations that select only introspection fields (`__schema`, `__type`) so that it can "
        "show the schema.",
    )
    debug: bool = Field(
        default=False,
        description="Put exception text in 500 answers, suggest field names in validation "
        'errors ("Did you mean") and log at debug level; never in production.',
    )

    _split_lists = field_validator(
        "cors_origins", "allowed_hosts", "trusted_proxies", mode="before"
    )(_split)

    @field_validator("database_url", "database_read_url")
    @classmethod
    def _known_database(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            # Raises UnsupportedDatabase, naming the variable, the URL and the forms accepted.
            async_url(value, env_name(info.field_name or "database_url"))
        return value

    @field_validator("sync_max_total_wait")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)  # raises ValueError saying how to write one
        return value

    @field_validator("trusted_documents")
    @classmethod
    def _trusted_documents(cls, value: str | None) -> str | None:
        if value:
            from gateway.trusted.manifest import load_manifest

            load_manifest(value)  # raises ManifestError, naming the file and what is wrong
        return value or None

    @field_validator("root_path")
    @classmethod
    def _root_path(cls, value: str) -> str:
        value = value.rstrip("/")
        if value and not value.startswith("/"):
            raise ValueError(f"root_path must start with '/' (got {value!r})")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and ("://" not in origin or origin.endswith("/")):
                raise ValueError(
                    f"CORS origin {origin!r} must be `*` or scheme://host[:port] "
                    "with no path (https://app.example.com)"
                )
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: list[str]) -> list[str]:
        for proxy in value:
            if proxy == "*":
                continue
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(
                    f"trusted proxy {proxy!r} is not an IP address or network (10.0.0.0/8)"
                ) from None
        return value

    @property
    def read_url(self) -> str:
        return self.database_read_url or self.database_url

    @property
    def graphql_path(self) -> str:
        """Where browsers and clients reach the API, through the proxy's prefix."""
        return f"{self.root_path}/graphql"


def env_name(field: str) -> str:
    """The environment variable that sets `field` (for the README's table and error messages)."""
    alias = Settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"GATEWAY_{field.upper()}"


def _default_text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(unset)"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, list):
        value = ",".join(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{value}`"


def settings_table() -> str:
    """The Markdown table of every setting, its default and its meaning, as README.md has it."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for name, info in Settings.model_fields.items():
        rows.append(f"| `{env_name(name)}` | {_default_text(info.default)} | {info.description} |")
    return "\n".join(rows) + "\n"
