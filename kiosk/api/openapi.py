"""The OpenAPI 3.1 document of /api/v1/, written as data beside the endpoints; its schemas
are kiosk/sync/schema.py's, the ones the hall validates the answers with."""

from __future__ import annotations

from typing import Any

from kiosk.sync.changes import DEFAULT_PAGE, MAX_PAGE
from kiosk.sync.schema import SCHEMAS
from kiosk.sync.schema_parts import MAX_CURSOR, ref

UNAUTHORIZED = "Missing, unknown or revoked node token."


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }


def _file_download(
    operation: str,
    summary: str,
    description: str,
    parameter: str,
    pattern: str,
    media_type: str,
    not_found: str,
) -> dict[str, Any]:
    """GET of an immutable file named by its hash, with Range for a cut-off download."""
    binary = {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}
    return {
        "operationId": operation,
        "summary": summary,
        "description": "Immutable. Answers Range requests (206), so a cut-off download goes "
        f"on from where it stopped. {description}",
        "parameters": [
            {
                "name": parameter,
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": pattern},
            },
            {"name": "Range", "in": "header", "required": False, "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {"description": "The whole file.", **binary},
            "206": {"description": "The range asked for.", **binary},
            "401": _error(UNAUTHORIZED),
            "404": _error(not_found),
            "416": _error("The range is outside the file."),
        },
    }


def openapi_document() -> dict[str, Any]:
    unauthorized = _error(UNAUTHORIZED)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hall kiosk central catalog API",
            "version": "1",
            "description": "What hall nodes call on the county's central catalog "
            "(KIOSK_ROLE=central): the catalog change feed, whole-catalog "
            "snapshots and the upload of "
            "the halls' outbox records. Each node authenticates with its own "
            "token (`kiosk nodes add`).",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"nodeToken": []}],
        "paths": {
            "/changes": {
                "get": {
                    "operationId": "listChanges",
                    "summary": "Changes to the node's part of the catalog after a cursor",
                    "description": "Paged by sequence number. The node receives the public items "
                    "(已公开/部分公开) of its region and the regions above it, and "
                    "a `delete` for each item that left that scope. Apply a page, "
                    "store its `cursor`, ask again while `more` is true. Answers "
                    "are gzip-compressed when asked and carry a strong ETag; send "
                    "it back in If-None-Match to get a 304 when nothing changed.",
                    "parameters": [
                        {
                            "name": "cursor",
                            "in": "query",
                            "required": False,
                            "description": "The `cursor` of the last page applied; 0 or absent for "
                            "the whole catalog.",
                            "schema": {
                                "type": "integer",
                                "minimum": 0,
                                "maximum": MAX_CURSOR,
                                "default": 0,
                            },
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PAGE,
                                "default": DEFAULT_PAGE,
                            },
                        },
                        {
                            "name": "answers",
                            "in": "query",
                            "required": False,
                            "description": "The `seq` of the last answer (群众咨询) the node "
                            "holds; the page carries the published answers after it.",
                            "schema": {
                                "type": "integer",
                                "minimum": 0,
                                "maximum": MAX_CURSOR,
                                "default": 0,
                            },
                        },
                        {
                            "name": "applications",
                            "in": "query",
                            "required": False,
                            "description": "The `seq` of the last application status (依申请公开) "
                            "the node holds; the page carries the statuses changed after it.",
                            "schema": {
                                "type": "integer",
                                "minimum": 0,
                                "maximum": MAX_CURSOR,
                                "default": 0,
                            },
                        },
                        {
                            "name": "If-None-Match",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of changes.",
                            "headers": {"ETag": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": ref("ChangePage")}},
                        },
                        "304": {"description": "Nothing changed since the ETag sent."},
                        "400": _error("Bad cursor or limit."),
                        "401": unauthorized,
                        "409": _error(
                            "The cursor is newer than this catalog (restored centre); "
                            "the node keeps its copy."
                        ),
                        "410": _error(
                            "Deletions after this cursor were purged: start again from "
                            "cursor 0 and drop the items not sent again."
                        ),
                    },
                }
            },
            "/snapshot": {
                "get": {
                    "operationId": "getSnapshot",
                    "summary": "Where the node's whole catalog is, as one file",
                    "description": "For a first install and after a 410: the manifest of a "
                    "snapshot of the node's scope at the current catalog version "
                    "(built on first demand). Download `url` (relative to this "
                    "API), check its size and SHA-256, replace the whole catalog "
                    "by it, store its `cursor` and go on with /changes from there. "
                    "The file is gzip JSON Lines: a header line (`format`, `kind`, "
                    "`region`, `cursor`, `items`, `items_sha256`, `items_size`), "
                    "then one Item per line in code order.",
                    "responses": {
                        "200": {
                            "description": "The snapshot's manifest.",
                            "content": {"application/json": {"schema": ref("SnapshotManifest")}},
                        },
                        "401": unauthorized,
                    },
                }
            },
            "/snapshots/{name}": {
                "get": _file_download(
                    "downloadSnapshot",
                    "A snapshot file, named by its SHA-256",
                    "Only the newest few snapshots are kept: a 404 means ask /snapshot again.",
                    "name",
                    "^[0-9a-f]{64}\\.json\\.gz$",
                    "application/gzip",
                    "No such snapshot in this node's scope (pruned or never built).",
                )
            },
            "/blobs/{sha256}": {
                "get": _file_download(
                    "downloadBlob",
                    "A file the node's catalog or signage uses, named by its SHA-256",
                    "Only the files something in the node's scope uses are served.",
                    "sha256",
                    "^[0-9a-f]{64}$",
                    "application/octet-stream",
                    "No such file, or none that the node's scope uses.",
                )
            },
            "/outbox": {
                "post": {
                    "operationId": "sendOutbox",
                    "summary": "Deliver the hall's outbox records (ratings, questions, play logs)",
                    "description": "Each record is stored once per node and key, however often "
                    "it is sent. The node marks records sent only when their keys "
                    "come back in `acknowledged`.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("OutboxBatch")}},
                    },
                    "responses": {
                        "200": {
                            "description": "Every record of the batch is held by the centre.",
                            "content": {"application/json": {"schema": ref("OutboxAck")}},
                        },
                        "400": _error("The batch is malformed; nothing of it was stored."),
                        "401": unauthorized,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "nodeToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The token of `kiosk nodes add`.",
                }
            },
            # The same objects the hall validates the answers with.
            "schemas": SCHEMAS,
        },
    }
