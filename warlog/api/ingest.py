"""Writes (token required): ingesting articles, quarantining and restoring one."""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from warlog.api import reads
from warlog.api.deps import ApiState, error_answer, json_answer, text_param, writer
from warlog.codec import article_meta_json, claim_json
from warlog.settings import IngestOptions

router = APIRouter(prefix="/api", tags=["articles"])
MAX_JSON_DEPTH = 64
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_ALLOWED = {"text", "title", "outlet", "published", "date", "url", "id"}
_UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/ArticleIn"},
                        {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}},
                    ]
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


@router.post(
    "/articles",
    status_code=201,
    summary="Ingest articles: JSON, a multipart upload (field 'file'), or a raw body",
    openapi_extra=_UPLOAD_BODY,
)
async def post_articles(
    request: Request,
    focus_country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
) -> JSONResponse:
    st = writer(request)
    body = await _read_body(request, st.max_body)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        name, data = "articles.jsonl", _jsonl_of(body)
    elif ctype == "multipart/form-data":
        name, data = await _upload_of(request, body)
    else:
        name, data = "upload", body
    if not data.strip():
        raise HTTPException(400, "the request has no content to ingest")
    options = st.ingest_options or IngestOptions(max_bytes=st.max_body)
    if focus_country:
        options = replace(options, focus_country=focus_country.upper())
    return await run_in_threadpool(_ingest, st, name, data, options)


def _ingest(st: ApiState, name: str, data: bytes, options: IngestOptions) -> JSONResponse:
    from warlog.pipeline import ingest_paths

    store = st.store
    # One writer at a time: the pipeline's models are not shared across threads, and the
    # store serialises writers anyway.
    with st.write_lock, tempfile.TemporaryDirectory(prefix="warlog-upload-") as tmp:
        path = Path(tmp) / (_SAFE_NAME.sub("_", name)[:80] or "upload")
        path.write_bytes(data)
        report = ingest_paths(store, [str(path)], options, extractor=st.extractor(), command="api")
    problems = [
        {"source": Path(p.source).name, "message": p.message, "line": p.line, "fatal": p.fatal}
        for p in report.problems
    ]
    if not report.articles_new and report.failed:
        return error_answer(422, problems[0]["message"], code="E100", problems=problems)
    new = report.articles_new
    arts = store.articles(ids=new) if new else []
    by_article: dict[str, list[dict[str, Any]]] = {}
    for c in store.claims(article_ids=new) if new else []:
        by_article.setdefault(c.article_id, []).append(claim_json(c))
    events = reads.events_by_id(store, store.event_ids_of_articles(new) if arts else [])
    return json_answer(
        {
            "run_id": report.run_id,
            "pages_new": report.pages_new,
            "pages_unchanged": report.pages_unchanged,
            "articles": [
                {**article_meta_json(a, source=False), "claims": by_article.get(a.id, [])}
                for a in arts
            ],
            "events": events,
            "problems": problems,
        },
        status=201 if arts else 200,
    )


@router.post(
    "/articles/{article_id}/quarantine",
    summary="Take an article out of every event until it is restored (token required)",
)
def quarantine(
    request: Request,
    article_id: str,
    reason: Annotated[str, Query(max_length=500)] = "",
) -> JSONResponse:
    st = writer(request)
    with st.write_lock:
        return json_answer(
            st.store.quarantine(text_param(article_id) or "", text_param(reason) or "")
        )


@router.delete(
    "/articles/{article_id}/quarantine",
    summary="Restore a quarantined article into the ledger (token required)",
)
def restore(request: Request, article_id: str) -> JSONResponse:
    st = writer(request)
    with st.write_lock:
        return json_answer(st.store.restore(text_param(article_id) or ""))


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused past ``limit`` even when no Content-Length announced it (chunked)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body over the limit of {limit} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    # Starlette re-reads a cached body for form parsing; the stream itself is spent.
    request._body = body
    return body


def _jsonl_of(body: bytes) -> bytes:
    if _nesting(body) > MAX_JSON_DEPTH:
        raise HTTPException(400, f"malformed JSON: nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise HTTPException(400, f"malformed JSON: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    items = data if isinstance(data, list) else [data]
    if not items:
        raise HTTPException(400, "no articles in the request")
    lines = []
    for i, item in enumerate(items):
        _check_article(item, f"article {i}" if isinstance(data, list) else "the article")
        lines.append(json.dumps({k: v for k, v in item.items() if k in _ALLOWED}))
    return ("\n".join(lines) + "\n").encode()


def _check_article(item: Any, where: str) -> None:
    if not isinstance(item, dict):
        raise HTTPException(422, f"{where} is not a JSON object")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise HTTPException(422, f"{where} has no 'text' string")
    for key, value in item.items():
        if key in _ALLOWED and value is not None and not isinstance(value, str):
            raise HTTPException(422, f"{where}: '{key}' must be a string")


def _nesting(body: bytes) -> int:
    """How deep brackets nest (strings ignored): 200,000 '[' must be a 400, not a recursion
    crash of the parser."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in body.decode("utf-8", "replace"):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


async def _upload_of(request: Request, body: bytes) -> tuple[str, bytes]:
    try:
        form = await request.form()
    except Exception as exc:  # python-multipart raises several types for a broken body
        raise HTTPException(400, f"malformed multipart body: {exc}") from exc
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(422, "the multipart body has no 'file' field with a file")
    data = await upload.read()
    await form.close()
    return upload.filename or "upload", data
