"""``reconciler emulator serve|seed``: run the emulator over a socket, or fill its database.

The only emulator module that prints. Options map one to one onto :func:`open_emulator`;
bad input becomes a message and exit code 1, never a traceback. Tokens are never printed.
"""

from __future__ import annotations

import errno
import signal
from pathlib import Path
from typing import Annotated, Any

import typer

from reconciler.emulator import (
    DEFAULT_DB_PATH,
    DEFAULT_HOST,
    DEFAULT_PORT,
    TEST_ACCOUNT_ID,
    Settings,
    generate_account,
    open_emulator,
    seed_file,
)
from reconciler.emulator.serve import EmulatorServer
from reconciler.emulator.users import ROLES

app = typer.Typer(
    name="emulator",
    help="A local emulator of LinkedIn's Advertising API (/rest/ ad accounts, groups, campaigns, creatives).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Db = Annotated[
    Path,
    typer.Option(
        help="SQLite database file holding the emulator's state (created if missing; survives restarts)."
    ),
]
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


def _tokens(tokens: str | None, tokens_file: Path | None) -> list[str] | None:
    found = _split(tokens) or []
    if tokens_file is not None:
        found += [
            line.strip() for line in tokens_file.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    return found or None


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Interface to bind; keep the loopback default unless you mean it.")
    ] = (DEFAULT_HOST),
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="TCP port (0 picks a free one).")
    ] = DEFAULT_PORT,
    db: Db = DEFAULT_DB_PATH,
    memory: Annotated[
        bool, typer.Option("--memory", help="Keep state in memory only (ignores --db).")
    ] = False,
    latency_ms: Annotated[
        int, typer.Option(min=0, help="Latency added to every request, in milliseconds.")
    ] = 0,
    throttle_rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of requests answered 429 before anything happens.")
    ] = 0.0,
    error_rate: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Share of requests answered 500 or 503 before anything happens."),
    ] = 0.0,
    commit_then_fail_rate: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Share of successful writes kept but answered 500 or with a dropped connection.",
        ),
    ] = 0.0,
    seed: Annotated[
        int, typer.Option(help="Seed of fault injection and id allocation (same seed, same run).")
    ] = 0,
    request_log: Annotated[
        Path | None,
        typer.Option(
            help="Append one JSON line per request: method, raw path, headers (token redacted), status."
        ),
    ] = None,
    active_versions: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated active LinkedIn-Version values (YYYYMM); others get 426. "
            "Default: every monthly version released and not yet sunset (LinkedIn's sunset table)."
        ),
    ] = None,
    tokens: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated bearer tokens to accept (others get 401). Default: any non-empty token. "
            "Prefer --tokens-file: command lines are visible to other users."
        ),
    ] = None,
    tokens_file: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="File with one accepted bearer token per line."),
    ] = None,
    review_seconds: Annotated[
        float,
        typer.Option(
            min=0.0,
            help="How long a creative that left DRAFT stays UNDER_REVIEW before its review ends "
            "(0: reviewed at once).",
        ),
    ] = 0.0,
    reject_rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of creative reviews that end REJECTED.")
    ] = 0.0,
    daily_quota: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Calls each token may make per UTC day (reset at 00:00 UTC); then LinkedIn's 429.",
        ),
    ] = None,
    role: Annotated[
        str,
        typer.Option(
            help="Role of every token's member on every account not seeded with users: "
            "ACCOUNT_BILLING_ADMIN, ACCOUNT_MANAGER, CAMPAIGN_MANAGER, CREATIVE_MANAGER or VIEWER."
        ),
    ] = "ACCOUNT_BILLING_ADMIN",
    scopes: Annotated[
        str | None,
        typer.Option(help="Comma-separated OAuth scopes of every token (e.g. r_ads). Default: all scopes."),
    ] = None,
    tier: Annotated[
        str,
        typer.Option(
            help="Access tier of the application: standard, or development (edits at most 5 accounts)."
        ),
    ] = "standard",
    media_processing_seconds: Annotated[
        float,
        typer.Option(
            min=0.0,
            help="How long an uploaded image, video or document stays PROCESSING before it is AVAILABLE.",
        ),
    ] = 1.0,
    media_fail_rate: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Share of uploaded media whose processing ends PROCESSING_FAILED."
        ),
    ] = 0.0,
) -> None:
    """Serve the emulator over HTTP until interrupted (Ctrl-C)."""
    try:
        access = _access(role, scopes, tier)
        emulator = open_emulator(
            None if memory else db,
            seed=seed,
            latency_ms=latency_ms,
            throttle_rate=throttle_rate,
            error_rate=error_rate,
            commit_then_fail_rate=commit_then_fail_rate,
            active_versions=_split(active_versions),
            tokens=_tokens(tokens, tokens_file),
            request_log=request_log,
            settings=Settings(
                review_ms=round(review_seconds * 1000),
                reject_rate=reject_rate,
                media_processing_ms=round(media_processing_seconds * 1000),
                media_fail_rate=media_fail_rate,
                **access,
            ),
            daily_quota=daily_quota,
        )
    except (ValueError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    try:
        server = EmulatorServer(emulator, host, port)
    except OSError as exc:
        emulator.close()
        typer.echo(f"error: {_bind_error(exc, host, port)}", err=True)
        raise typer.Exit(1) from exc
    where = "memory" if memory else str(db)
    typer.echo(
        f"LinkedIn API emulator on {server.base_url}/rest/ (state: {where}; test account {TEST_ACCOUNT_ID})"
    )
    if host not in LOOPBACK:
        typer.echo(f"warning: listening on {host}, reachable from other machines", err=True)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops as cleanly as Ctrl-C: the database is closed
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        server.server_close()
        emulator.close()


def _access(role: str, scopes: str | None, tier: str) -> dict[str, Any]:
    """The caller settings of ``--role``, ``--scopes`` and ``--tier``; ValueError on a bad value."""
    if role not in ROLES:
        raise ValueError(f"--role must be one of {', '.join(sorted(ROLES))}")
    if tier not in ("standard", "development"):
        raise ValueError("--tier must be standard or development")
    listed = _split(scopes)
    return {
        "role": role,
        "scopes": None if listed is None else frozenset(listed),
        "development_tier": tier == "development",
    }


def _bind_error(exc: OSError, host: str, port: int) -> str:
    """One line a user can act on, for a port that cannot be bound."""
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use (another emulator or server is listening there); "
            "choose another with --port N, or --port 0 to pick a free one"
        )
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; use a port above 1023, or --port 0 to pick a free one"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


@app.command()
def seed(
    db: Db = DEFAULT_DB_PATH,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            exists=True,
            dir_okay=False,
            help="JSON file of entities in API shape, as GET returns them, under adAccounts, "
            "adCampaignGroups, adCampaigns, creatives and adAccountUsers (lists or finder "
            "responses); stored as given, ids kept.",
        ),
    ] = None,
    generate: Annotated[
        bool, typer.Option("--generate", help="Generate an account of the given size.")
    ] = False,
    account: Annotated[
        int, typer.Option(help="With --generate: the account to fill (created if missing).")
    ] = (TEST_ACCOUNT_ID),
    groups: Annotated[int, typer.Option(min=0, help="With --generate: campaign groups to add.")] = 100,
    campaigns: Annotated[
        int,
        typer.Option(min=0, max=5000, help="With --generate: campaigns to add (an account holds ≤ 5,000)."),
    ] = 5000,
    creatives: Annotated[
        int,
        typer.Option(min=0, max=15000, help="With --generate: creatives to add (an account holds ≤ 15,000)."),
    ] = 15000,
    seed_value: Annotated[int, typer.Option("--seed", help="Seed of id allocation.")] = 0,
) -> None:
    """Load a seed file (--from) or generate a large account (--generate) into the database."""
    if (from_file is None) == (not generate):
        typer.echo("error: give exactly one of --from FILE or --generate", err=True)
        raise typer.Exit(1)
    emulator = open_emulator(db, seed=seed_value)
    try:
        if from_file is not None:
            report = seed_file(emulator, from_file)
            typer.echo(
                f"seeded {db}: {report.accounts} accounts, {report.groups} groups, "
                f"{report.campaigns} campaigns, {report.creatives} creatives, {report.users} account users"
                + (f", {report.content} content entities" if report.content else "")
            )
        else:
            made = generate_account(
                emulator, account, groups=groups, campaigns=campaigns, creatives=creatives
            )
            typer.echo(
                f"generated in {db} for account {made.account}: {len(made.groups)} groups, "
                f"{len(made.campaigns)} campaigns, {len(made.creatives)} creatives in {made.seconds:.2f} s"
            )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        emulator.close()
