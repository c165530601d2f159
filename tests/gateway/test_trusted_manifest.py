"""Reading a trusted-documents manifest: the forms GraphQL Code Generator and Relay write are
taken, and anything that could run a document under a hash not its own is refused whole."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from gateway.settings import Settings
from gateway.trusted import ManifestError, load_manifest

ROOT = Path(__file__).resolve().parents[2]
CRAFT = "query Craft { spacecraft(ll2Id: 467) { name } }"
SHA256 = hashlib.sha256(CRAFT.encode()).hexdigest()


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(f"sha256:{SHA256}", id="client-preset-prefixed"),
        pytest.param(SHA256, id="relay-bare-hex"),
        pytest.param(SHA256.upper(), id="upper-case-hex"),
    ],
)
def test_the_forms_codegen_and_relay_write_are_read_by_sha256(tmp_path: Path, key: str) -> None:
    assert load_manifest(write(tmp_path, {key: CRAFT})) == {SHA256: CRAFT}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param("{not json", "is not valid JSON", id="not-json"),
        pytest.param([CRAFT], "must be a JSON object of SHA-256 -> document text", id="array"),
        pytest.param({}, "holds no documents, so nothing could be run", id="empty"),
        pytest.param(
            {hashlib.sha1(CRAFT.encode()).hexdigest(): CRAFT},
            "is not a SHA-256 (64 hex digits, or sha256:<hex>); generate the manifest with "
            "SHA-256 (client preset: `hashAlgorithm: 'sha256'`; Relay: `\"algorithm\": "
            '"SHA256"`)',
            id="sha1-keys",
        ),
        pytest.param({SHA256: {"text": CRAFT}}, "is not a string", id="not-a-string"),
        pytest.param(
            {SHA256: CRAFT + " "},
            f"key '{SHA256}' is not the SHA-256 of its document "
            f"({hashlib.sha256((CRAFT + ' ').encode()).hexdigest()}); the manifest was made "
            "with another hash or edited: generate it again",
            id="edited-text",
        ),
    ],
)
def test_a_manifest_that_cannot_be_trusted_is_refused_naming_file_and_problem(
    tmp_path: Path, content: object, problem: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(ManifestError) as refused:
        load_manifest(path)
    message = str(refused.value)
    assert message.startswith(f"trusted documents manifest {path}: ")
    assert problem in message


def test_a_missing_manifest_is_refused_by_the_settings(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    with pytest.raises(ValidationError) as refused:
        Settings(trusted_documents=str(missing))
    (error,) = refused.value.errors()
    assert error["loc"] == ("trusted_documents",)
    assert error["msg"] == (
        f"Value error, trusted documents manifest {missing}: cannot be read "
        "(No such file or directory)"
    )


def test_an_empty_setting_means_no_manifest() -> None:
    assert Settings(trusted_documents="").trusted_documents is None


def test_serve_refuses_to_start_on_a_manifest_made_with_sha1(tmp_path: Path) -> None:
    path = write(tmp_path, {f"sha1:{hashlib.sha1(CRAFT.encode()).hexdigest()}": CRAFT})
    result = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "serve", "--port", "0"],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}",
            "GATEWAY_TRUSTED_DOCUMENTS": str(path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"trusted documents manifest {path}: key 'sha1:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "never.db").exists()  # refused before the database is touched
