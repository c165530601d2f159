"""Trusted documents (an allowlist of operations): `GATEWAY_TRUSTED_DOCUMENTS` names a manifest
of SHA-256 -> document text, and `/graphql` then runs only those documents (`documents`); the
manifest is read and checked by `manifest`."""

from gateway.trusted.documents import TrustedDocuments
from gateway.trusted.manifest import ManifestError, load_manifest

__all__ = ["ManifestError", "TrustedDocuments", "load_manifest"]
