"""Settings from the environment, their checks, and the README's table of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from db.engine import DEFAULT_DATABASE_URL
from gateway.settings import Settings, settings_table

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    import os

    for name in list(os.environ):
        if name.startswith("GATEWAY_") or name in ("DATABASE_URL", "DATABASE_READ_URL"):
            monkeypatch.delenv(name)
    return monkeypatch


def test_defaults(clean_env: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert settings.model_dump() == {
        "database_url": DEFAULT_DATABASE_URL,
        "database_read_url": None,
        "database_connect_timeout": 10.0,
        "host": "127.0.0.1",
        "port": 8000,
        "workers": 1,
        "cors_origins": ["*"],
        "cors_max_age": 600,
        "allowed_hosts": ["*"],
        "trusted_proxies": [],
        "root_path": "",
        "compression_min_size": 1024,
        "max_body_size": 1_048_576,
        "shutdown_timeout": 30.0,
        "readiness_timeout": 3.0,
        "access_log": True,
        "log_level": "info",
        "sync_every": None,
        "sync_base_url": "https://ll.thespacedevs.com/2.3.0",
        "sync_max_total_wait": "3h",
        "body_timeout": 10.0,
        "header_timeout": 10.0,
        "linger_time": 10.0,
        "linger_bytes": 33_554_432,
        "max_connections": 0,
        "execution_timeout": 10.0,
        "max_query_size": 65_536,
        "max_tokens": 5_000,
        "max_depth": 16,
        "max_aliases": 30,
        "max_directives": 50,
        "max_page_size": 100,
        "max_cost": 50_000,
        "rate_limit": 0,
        "introspection": True,
        "explorer": True,
        "compiled": True,
        "cache": True,
        "result_cache_size": 1000,
        "result_cache_bytes": 64 * 1024 * 1024,
        "known_requests": 10_000,
        "version_lease": 2.0,
        "cache_max_age": 0,
        "persisted_queries": 1000,
        "persisted_queries_bytes": 8 * 1024 * 1024,
        "metrics": True,
        "metrics_token": None,
        "metrics_operations": 100,
        "trusted_documents": None,
        "trusted_documents_explorer": False,
        "debug": False,
    }
    assert (settings.read_url, settings.graphql_path) == (DEFAULT_DATABASE_URL, "/graphql")


def test_from_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    for name, value in {
        "DATABASE_URL": "postgresql://u:p@db:5432/gateway",
        "DATABASE_READ_URL": "postgresql://u:p@replica:5432/gateway",
        "GATEWAY_HOST": "0.0.0.0",
        "GATEWAY_PORT": "9000",
        "GATEWAY_WORKERS": "4",
        "GATEWAY_CORS_ORIGINS": "https://a.example, https://b.example:8443",
        "GATEWAY_ALLOWED_HOSTS": "gateway.example,*.gateway.example",
        "GATEWAY_TRUSTED_PROXIES": "10.0.0.0/8,192.0.2.1",
        "GATEWAY_ROOT_PATH": "/api/",
        "GATEWAY_COMPRESSION_MIN_SIZE": "0",
        "GATEWAY_DEBUG": "true",
        "GATEWAY_ACCESS_LOG": "0",
        "GATEWAY_CACHE": "false",
        "GATEWAY_RESULT_CACHE_SIZE": "0",
        "GATEWAY_CACHE_MAX_AGE": "60",
        "GATEWAY_PERSISTED_QUERIES": "50",
    }.items():
        clean_env.setenv(name, value)
    settings = Settings()
    assert settings.database_url == "postgresql://u:p@db:5432/gateway"
    assert settings.read_url == "postgresql://u:p@replica:5432/gateway"
    assert (settings.host, settings.port, settings.workers) == ("0.0.0.0", 9000, 4)
    assert settings.cors_origins == ["https://a.example", "https://b.example:8443"]
    assert settings.allowed_hosts == ["gateway.example", "*.gateway.example"]
    assert settings.trusted_proxies == ["10.0.0.0/8", "192.0.2.1"]
    assert (settings.root_path, settings.graphql_path) == ("/api", "/api/graphql")
    assert settings.compression_min_size == 0
    assert (settings.debug, settings.access_log) == (True, False)
    assert (settings.cache, settings.result_cache_size, settings.cache_max_age) == (False, 0, 60)
    assert settings.persisted_queries == 50


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"database_url": "mysql://x/y"},
            "DATABASE_URL 'mysql://x/y' is not a database this gateway uses",
            id="db",
        ),
        pytest.param({"root_path": "api"}, "root_path must start with '/' (got 'api')", id="root"),
        pytest.param(
            {"cors_origins": "https://a.example/"},
            "CORS origin 'https://a.example/' must be `*` or scheme://host[:port] with no path",
            id="origin",
        ),
        pytest.param(
            {"trusted_proxies": "proxy.local"},
            "trusted proxy 'proxy.local' is not an IP address or network",
            id="proxy",
        ),
        pytest.param({"workers": 0}, "greater than or equal to 1", id="workers"),
        pytest.param({"port": 70000}, "less than or equal to 65535", id="port"),
        pytest.param({"log_level": "loud"}, "'debug', 'info', 'warning' or 'error'", id="level"),
        pytest.param({"cache_max_age": -1}, "greater than or equal to 0", id="max-age"),
        pytest.param({"result_cache_bytes": 0}, "greater than or equal to 1", id="cache-bytes"),
    ],
)
def test_bad_settings_are_refused_by_name(
    clean_env: pytest.MonkeyPatch, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(**fields)  # type: ignore[arg-type]
    assert message in str(caught.value)
    assert next(iter(fields)) in str(caught.value)


def test_the_readme_lists_every_setting_with_its_default() -> None:
    text = README.read_text()
    section = text[text.index("## Settings") :]
    assert settings_table() in section, (
        "README.md's Settings table differs from the code: "
        "PYTHONPATH=. python scripts/settings_table.py prints the current one"
    )
