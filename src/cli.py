"""The ``shuniu`` command: serve, project, principals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Protocol
from uuid import UUID, uuid4

import structlog
import typer

from shuniu.aggregates.base import ROLES, Actor
from shuniu.settings import Settings

cli = typer.Typer(help="Shuniu: hub-type social organization work system.", no_args_is_help=True)
principals_cli = typer.Typer(help="Manage API principals.", no_args_is_help=True)
cli.add_typer(principals_cli, name="principals")
projections_cli = typer.Typer(
    help="Read models stopped at an event they cannot apply.", no_args_is_help=True
)
cli.add_typer(projections_cli, name="projections")

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
        bool, typer.Option(help="run the projections too (in this process, or beside the workers)")
    ] = True,
    workers: Annotated[
        int, typer.Option(min=1, help="API processes (above 1: PostgreSQL only)")
    ] = 1,
) -> None:
    """Run the HTTP API (with the projections, unless --no-projections).

    With --workers N above 1, uvicorn runs N API processes on the same port and,
    unless --no-projections, one `shuniu project` process runs beside them:
    a process has one interpreter lock, so N processes use N cores.
    """
    import uvicorn

    from shuniu.api.app import create_app

    settings = _settings()
    if workers == 1:
        uvicorn.run(
            create_app(settings, run_projections=projections),
            host=host,
            port=port,
            access_log=False,
            log_config=None,
        )
        return
    if not settings.is_postgres:
        typer.echo(
            "error: --workers above 1 needs PostgreSQL: SQLite takes one writer at a time, "
            "and processes would queue on its lock",
            err=True,
        )
        raise typer.Exit(2)
    os.environ["SHUNIU_API_PROCESSES"] = str(workers)  # read by each API process's Settings
    with _projector(run=projections):
        uvicorn.run(
            "shuniu.api.app:create_app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            access_log=False,
            log_config=None,
        )


PROJECTOR_RESTART_SECONDS = 1.0


@contextmanager
def _projector(*, run: bool) -> Iterator[None]:
    """`shuniu project` as a child process, started again if it dies, stopped (SIGTERM)
    when the API stops."""
    if not run:
        yield
        return
    stopping = threading.Event()
    children: list[subprocess.Popen[bytes]] = []

    def keep_running() -> None:
        while not stopping.is_set():
            child = subprocess.Popen([sys.executable, "-m", "shuniu.cli", "project"])
            children.append(child)
            code = child.wait()
            if stopping.is_set():
                return
            structlog.get_logger("shuniu.cli").error(
                "projector_died", exit_code=code, restart_in=PROJECTOR_RESTART_SECONDS
            )
            stopping.wait(PROJECTOR_RESTART_SECONDS)

    supervisor = threading.Thread(target=keep_running, name="projector", daemon=True)
    supervisor.start()
    try:
        yield
    finally:
        stopping.set()
        for child in children:
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(20)
                except subprocess.TimeoutExpired:
                    child.kill()
        supervisor.join(5)


@cli.command()
def project() -> None:
    """Run the projection workers alone, until stopped (SIGINT or SIGTERM)."""
    import structlog

    from shuniu.projections.runner import PROJECTIONS, ProjectionWorker, create_tables

    settings = _settings()
    create_tables(settings)
    stop = threading.Event()

    def on_signal(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    worker = ProjectionWorker(list(PROJECTIONS.values()), settings).start()
    structlog.get_logger("shuniu.cli").info("projections_running", names=list(PROJECTIONS))
    stop.wait()
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
    from shuniu.commands.principals import CreatePrincipal

    if role not in ROLES:
        typer.echo(f"error: --role must be one of {', '.join(ROLES)}", err=True)
        raise typer.Exit(2)
    settings = _settings()
    app = Shuniu(env=settings.eventsourcing_env())
    try:
        command = CreatePrincipal(name=name, role=role, jurisdiction=jurisdiction, hub_id=hub_id)
        actor = Actor(principal_id=CLI_PRINCIPAL, role="admin", command_id=uuid4())
        outcome = app.handle(command, CommandContext(actor=actor))
    except (ShuniuError, ValidationError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    finally:
        app.close()
    typer.echo(f"id: {outcome.aggregate.id}", err=True)
    typer.echo(outcome.revealed["token"])


class Advance(Protocol):
    def __call__(self, done: int, of: int | None = None) -> None: ...


def _silent(done: int, of: int | None = None) -> None:
    """No progress bar off a terminal."""


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Advance]:
    """A progress bar on a terminal (stderr); silence elsewhere."""
    if not sys.stderr.isatty():
        yield _silent
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(description, total=total)

        def advance(done: int, of: int | None = None) -> None:
            bar.update(task, completed=done, total=of if of is not None else total)

        yield advance


def _app() -> Any:
    from shuniu.application import Shuniu

    return Shuniu(env=_settings().eventsourcing_env())


@cli.command()
def verify() -> None:
    """Check every stream's chain of links; exit 1 naming the first event that does not match."""
    from shuniu.application.audit import AuditLog

    app = _app()
    try:
        result = AuditLog(app).verify()
    finally:
        app.close()
    typer.echo(f"checked {result.checked} events in {result.streams} streams")
    typer.echo(f"anchor {result.anchor}")
    if not result.ok:
        typer.echo(f"FIRST BAD EVENT: {json.dumps(result.first_bad)}", err=True)
        raise typer.Exit(1)
    typer.echo("ok")


@cli.command("export")
def export_log(
    file: Annotated[Path | None, typer.Argument(help="where to write; stdout if omitted")] = None,
) -> None:
    """Write the whole log as NDJSON, one event a line."""
    from shuniu.application.transfer import export_lines

    app = _app()
    try:
        head = app.last_position()
        out = file.open("w", encoding="utf-8") if file else sys.stdout
        with progress_bar("exporting", head) as advance:
            for count, line in enumerate(export_lines(app), 1):
                out.write(line)
                if count % 1000 == 0:
                    advance(count)
        if file:
            out.close()
    finally:
        app.close()


@cli.command("import")
def import_log(file: Annotated[Path, typer.Argument(help="an NDJSON export")]) -> None:
    """Load an export into an empty store, keeping ids, versions, times and actors."""
    from shuniu.aggregates.errors import ShuniuError
    from shuniu.application.transfer import import_file

    app = _app()
    try:
        lines = sum(1 for _ in file.open(encoding="utf-8"))
        with progress_bar("importing", lines) as advance:
            loaded = import_file(app, file, advance)
    except ShuniuError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    finally:
        app.close()
    typer.echo(f"imported {loaded} events")


@cli.command()
def rebuild(
    name: Annotated[str | None, typer.Argument(help="one read model; all if omitted")] = None,
) -> None:
    """Rebuild one or all read models from the events, alongside, then switch."""
    from shuniu.projections.rebuild import rebuild as rebuild_view
    from shuniu.projections.runner import PROJECTIONS

    settings = _settings()
    if name is not None and name not in PROJECTIONS:
        typer.echo(f"error: no read model {name!r}; there are {', '.join(PROJECTIONS)}", err=True)
        raise typer.Exit(2)
    for spec in [PROJECTIONS[name]] if name else list(PROJECTIONS.values()):
        with progress_bar(f"rebuilding {spec.name}", None) as advance:
            position = rebuild_view(spec, settings, advance)
        typer.echo(f"{spec.name}: rebuilt to position {position}")


@projections_cli.command("stalls")
def list_stalls() -> None:
    """List the read models stopped at an event they cannot apply."""
    from shuniu.projections import stalls
    from shuniu.projections.runner import PROJECTIONS, create_tables, open_view

    settings = _settings()
    create_tables(settings)
    view = open_view(next(iter(PROJECTIONS.values())), settings)
    try:
        found = stalls.stalls(view)
    finally:
        view.datastore.close()
    for stall in found:
        typer.echo(f"{stall.name}\t{stall.position}\t{stall.since.isoformat()}\t{stall.error}")
    if not found:
        typer.echo("no read model is stalled")


@projections_cli.command("skip")
def skip_event(
    name: Annotated[str, typer.Argument(help="the read model (registry, inbox, minutes, ledger)")],
    position: Annotated[int, typer.Argument(min=1, help="the position of the event it stopped at")],
    reason: Annotated[str, typer.Option(help="why it may pass over the event (recorded)")],
    by: Annotated[str, typer.Option(help="who decides (recorded)")] = "operator",
) -> None:
    """Let a stalled read model pass over the one event it cannot apply (recorded, with
    who and why; the running projections take it up)."""
    from shuniu.projections import stalls
    from shuniu.projections.runner import PROJECTIONS, create_tables, open_view

    if name not in PROJECTIONS:
        typer.echo(f"error: no read model {name!r}; there are {', '.join(PROJECTIONS)}", err=True)
        raise typer.Exit(2)
    settings = _settings()
    create_tables(settings)
    view = open_view(PROJECTIONS[name], settings)
    try:
        stalled = {stall.name: stall for stall in stalls.stalls(view)}.get(name)
        if stalled is None or stalled.position != position:
            where = f"at position {stalled.position}" if stalled else "not stalled"
            typer.echo(f"error: {name} is {where}; it may skip only the event it stopped at",
                       err=True)  # fmt: skip
            raise typer.Exit(2)
        stalls.skip(view, name, position, reason, by)
    finally:
        view.datastore.close()
    typer.echo(f"{name} passes over the event at position {position}")


def main() -> None:
    cli()


if __name__ == "__main__":  # `python -m shuniu.cli`, as `serve --workers` starts `project`
    main()
