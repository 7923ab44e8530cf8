"""The operator's commands, run as a user runs them: verify, export, import, rebuild."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from shuniu.application import Shuniu
from shuniu.application.audit import AuditLog
from shuniu.projections.runner import PROJECTIONS
from shuniu.settings import Settings
from tests.integration.test_audit import _flip
from tests.integration.test_supervision_read_models import a_year

SHUNIU = str(Path(sys.executable).with_name("shuniu"))


def shuniu(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHUNIU_DATABASE_URL": url, "SHUNIU_LOG_FORMAT": "json"}
    return subprocess.run(
        [SHUNIU, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_verify_export_import_rebuild(
    settings: Settings, tmp_path: Path, new_postgres_database: Callable[[], str]
) -> None:
    url = settings.database_url
    app = Shuniu(env=settings.eventsourcing_env())
    try:
        a_year(app)
        head = app.last_position()
        verified = shuniu(url, "verify")
        assert verified.returncode == 0, verified.stderr
        assert f"checked {head} events" in verified.stdout

        exported = tmp_path / "log.ndjson"
        assert shuniu(url, "export", str(exported)).returncode == 0
        assert len(exported.read_text(encoding="utf-8").splitlines()) == head
        refused = shuniu(url, "import", str(exported))
        assert refused.returncode == 2
        assert "empty store" in refused.stderr
        copy = new_postgres_database() if settings.is_postgres else f"sqlite:///{tmp_path / 'c.db'}"
        imported = shuniu(copy, "import", str(exported))
        assert imported.returncode == 0, imported.stderr
        assert f"imported {head} events" in imported.stdout
        assert shuniu(copy, "export").stdout == exported.read_text(encoding="utf-8")

        rebuilt = shuniu(url, "rebuild")
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert rebuilt.stdout.count(f"rebuilt to position {head}") == len(PROJECTIONS)
        assert shuniu(url, "rebuild", "nonesuch").returncode == 2

        victim = next(e for e in AuditLog(app).all_events() if e.version == 3)
        _flip(settings, app, victim.aggregate_id, victim.version, 10)
        broken = shuniu(url, "verify")
        assert broken.returncode == 1
        assert str(victim.aggregate_id) in broken.stderr
    finally:
        app.close()
