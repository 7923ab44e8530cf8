"""The ``shuniu`` command: serve, project, principals."""

from __future__ import annotations

import signal
import threading
from typing import Annotated, Any
from uuid import UUID, uuid4

import typer

from shuniu.aggregates.base import ROLES, Actor
from shuniu.settings import Settings

cli = typer.Typer(help="Shuniu: hub-type social organization work system.", no_args_is_help=True)
principals_cli = typer.Typer(help="Manage API principals.", no_args_is_help=True)
cli.add_typer(principals_cli, name="principals")

CLI_PRINCIPAL = UUID("00000000-0000-5000-8000-00000000c11a")
"""The actor named in events recorded from the command line by the operator."""


def _settings() -> Settings:
    from shuniu.logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_format)
    return settings


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    projections: Annotated[
        bool, typer.Option(help="run the projections in this process too")
    ] = True,
) -> None:
    """Run the HTTP API (with the projections, unless --no-projections)."""
    import uvicorn

    from shuniu.api.app import create_app

    settings = _settings()
    uvicorn.run(
        create_app(settings, run_projections=projections),
        host=host,
        port=port,
        access_log=False,
        log_config=None,
    )


@cli.command()
def project() -> None:
    """Run the projection workers alone, until stopped (SIGINT or SIGTERM)."""
    import structlog

    from shuniu.projections.runner import PROJECTIONS, ProjectionWorker

    settings = _settings()
    stop = threading.Event()

    def on_signal(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    workers = [ProjectionWorker(spec, settings).start() for spec in PROJECTIONS.values()]
    structlog.get_logger("shuniu.cli").info("projections_running", names=list(PROJECTIONS))
    stop.wait()
    for worker in workers:
        worker.stop()


@principals_cli.command("create")
def create_principal(
    name: Annotated[str, typer.Option(help="who the principal is")],
    role: Annotated[str, typer.Option(help=f"one of: {', '.join(ROLES)}")],
    jurisdiction: Annotated[str, typer.Option(help="6-digit division code, e.g. 110000")],
    hub_id: Annotated[UUID | None, typer.Option(help="the hub, for the hub role")] = None,
) -> None:
    """Create a principal and print its token (shown once)."""
    from pydantic import ValidationError

    from shuniu.aggregates.errors import ShuniuError
    from shuniu.application import CommandContext, Shuniu

    if role not in ROLES:
        typer.echo(f"error: --role must be one of {', '.join(ROLES)}", err=True)
        raise typer.Exit(2)
    settings = _settings()
    app = Shuniu(env=settings.eventsourcing_env())
    try:
        actor = Actor(principal_id=CLI_PRINCIPAL, role="admin", command_id=uuid4())
        outcome, token = app.create_principal(
            CommandContext(actor=actor),
            name,
            role,
            jurisdiction,
            hub_id,
        )
    except (ShuniuError, ValidationError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    finally:
        app.close()
    typer.echo(f"id: {outcome.aggregate.id}", err=True)
    typer.echo(token)


def main() -> None:
    cli()
