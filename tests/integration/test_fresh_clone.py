"""A fresh clone of the repository passes its unit tests with nothing beside it.

The repository's committed HEAD is cloned into an empty folder (so whatever
the developer has not committed plays no part, and no ``../shared`` or other
sibling is there), and ``python -m pytest tests/unit`` runs inside the clone
with this interpreter, whose packages stand in for the clone's own install.

``shuniu`` is the import name of ``src/`` (``package-dir`` in pyproject.toml),
so the clone's ``src/`` has no ``shuniu`` folder to import; and the
developer's editable install would otherwise answer ``import shuniu`` with
the developer's ``src/``. A folder outside the clone holding a ``shuniu``
symlink to the clone's ``src/`` goes first on ``PYTHONPATH``: the path finder
comes before the editable install's finder (and before site-packages), and
the test checks that the clone's files are the ones imported.

It takes about as long as the unit tests themselves (3 s here), and starts no
server, so it is not marked ``slow``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
UNIT_TESTS = [sys.executable, "-m", "pytest", "tests/unit", "-q", "-p", "no:cacheprovider"]


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, f"git {' '.join(args)} failed in {cwd}:\n{done.stderr}"
    return done.stdout.strip()


def _clone_head(into: Path) -> str:
    """Clones the committed HEAD of the repository these tests run from; answers its commit."""
    head = _git("rev-parse", "--verify", "HEAD^{commit}", cwd=REPOSITORY)
    _git("clone", "--quiet", "--no-checkout", str(REPOSITORY), str(into), cwd=into.parent)
    _git("-c", "advice.detachedHead=false", "checkout", "--quiet", head, cwd=into)
    return head


def _environment(shim: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTHON"))}
    env["PYTHONPATH"] = str(shim)
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def test_a_fresh_clone_passes_its_unit_tests(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    clone = tmp_path / "clone"
    head = _clone_head(clone)
    assert _git("rev-parse", "HEAD", cwd=clone) == head
    assert _git("status", "--porcelain", cwd=clone) == ""
    assert list(tmp_path.iterdir()) == [clone], "the clone must stand alone in its folder"

    shim = tmp_path_factory.mktemp("import-shim")  # beside tmp_path, not in it
    (shim / "shuniu").symlink_to(clone / "src", target_is_directory=True)
    env = _environment(shim)

    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import shuniu, tests.schemas; "
            "print(shuniu.__file__); print(tests.schemas.__file__); print(tests.schemas.SCHEMAS)",
        ],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    shuniu_file, schemas_module, schemas_folder = (
        Path(line).resolve() for line in imported.stdout.splitlines()
    )
    assert shuniu_file == (clone / "src" / "__init__.py").resolve()
    assert schemas_module.is_relative_to(clone.resolve())
    assert schemas_folder == (clone / "schemas").resolve()

    ran = subprocess.run(
        [*UNIT_TESTS, "-rA"],  # -rA: the summary names every test that passed
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    output = ran.stdout + ran.stderr
    assert ran.returncode == 0, output
    assert re.search(r"PASSED tests/unit/test_schemas\.py::test_a_minimal_release_package", output)
    assert re.search(r"PASSED tests/unit/test_schemas\.py::test_a_minimal_record_package", output)
    summary = output.strip().splitlines()[-1]
    assert re.fullmatch(r"=* ?\d+ passed in [\d.]+s( =*)?", summary), summary  # nothing else
    assert list(tmp_path.iterdir()) == [clone]
