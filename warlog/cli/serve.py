"""``warlog serve``: the HTTP API and the dashboard (added to ``main`` in ``warlog.cli``)."""

from __future__ import annotations

import json
import os

import click

from warlog.cli.common import err
from warlog.cli.options import db_option
from warlog.settings import DEFAULT_MAX_BYTES, database_url

# Named here, not imported from warlog.api, so that the CLI does not load FastAPI to start.
TOKEN_ENV = "WARLOG_TOKEN"


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--protect-reads",
    is_flag=True,
    help=f"Require the token (${TOKEN_ENV}) for reads too, not only for writes.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest request body accepted (an upload is one page).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="A Host name requests may use besides localhost, 127.0.0.1 and ::1 (repeatable).",
)
@click.option(
    "--focus-country",
    metavar="CC",
    help="The collection's country, for the outside-country flag (default: most incidents').",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes sharing the port (reads in parallel; SQLite WAL or PostgreSQL).",
)
@click.option(
    "--http",
    "http_parser",
    type=click.Choice(["auto", "httptools", "h11"]),
    default="auto",
    show_default=True,
    help="HTTP/1.1 parser: auto takes httptools (C, installed with warlog) over h11 (Python).",
)
@click.option(
    "--loop",
    type=click.Choice(["auto", "uvloop", "asyncio"]),
    default="auto",
    show_default=True,
    help="Event loop: auto takes uvloop (C, installed with warlog) over asyncio's own.",
)
def serve_cmd(
    db: str | None,
    host: str,
    port: int,
    protect_reads: bool,
    max_bytes: int,
    allow_hosts: tuple[str, ...],
    focus_country: str | None,
    workers: int,
    http_parser: str,
    loop: str,
) -> None:
    """The HTTP API (/api, OpenAPI at /docs) and the dashboard (/), offline.

    Writes (POST /api/articles) need the token in $WARLOG_TOKEN, sent as
    "Authorization: Bearer TOKEN"; without it set, the server is read-only.
    """
    import uvicorn

    from warlog.api import create_app

    token = os.environ.get(TOKEN_ENV) or None
    if protect_reads and token is None:
        raise click.UsageError(f"--protect-reads needs ${TOKEN_ENV} set")
    app = create_app(
        database_url(db),
        token,
        protect_reads=protect_reads,
        max_body=max_bytes,
        focus_country=focus_country,
        allow_hosts=allow_hosts,
    )
    if not _loopback(host) and not protect_reads:
        err.print(
            f"warning: listening on {host}, beyond this machine, with reads open to anyone who "
            "reaches it; use --protect-reads (and --allow-host NAME for the name it is reached by)",
            highlight=False,
        )
    writes = "on (token required)" if token else f"off (set ${TOKEN_ENV} to enable)"
    err.print(
        f"warlog: http://{host}:{port}/  API /api  docs /docs  writes {writes}", highlight=False
    )
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", http=http_parser, loop=loop)
        return
    # The app above was built to check the store (and migrate it once, before any worker
    # opens it); each worker process builds its own from the same options, by name.
    app.state.store.close()
    from warlog.api.app import APP_ENV

    os.environ[APP_ENV] = json.dumps(
        {
            "url": database_url(db),
            "protect_reads": protect_reads,
            "max_body": max_bytes,
            "focus_country": focus_country,
            "allow_hosts": list(allow_hosts),
        }
    )
    uvicorn.run(
        "warlog.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        http=http_parser,
        loop=loop,
    )


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
