"""Shared fixtures: the repository, the `embargo` command, generated orders.

The command and the order generator are the workspace's release builds; they are
built here when missing (``EMBARGO_BIN`` and ``EMBARGO_GEN_ORDERS`` name others).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

import embargo

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "rules" / "valid" / "dprk-mini"


def _built(env: str, path: Path, cargo_args: list) -> Path:
    given = os.environ.get(env)
    if given:
        return Path(given)
    if not path.exists():
        subprocess.run(["cargo", "build", "--release", "--locked", *cargo_args], cwd=ROOT, check=True)
    return path


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `embargo` command of this checkout."""
    return _built("EMBARGO_BIN", ROOT / "target" / "release" / "embargo", ["-p", "embargo-cli"])


@pytest.fixture(scope="session")
def gen_orders() -> Path:
    """The benchmark's order generator (examples/gen_orders.rs)."""
    return _built(
        "EMBARGO_GEN_ORDERS",
        ROOT / "target" / "release" / "examples" / "gen_orders",
        ["--example", "gen_orders"],
    )


@pytest.fixture(scope="session")
def screener() -> embargo.Screener:
    """One screener with the embedded rules for the whole session (it takes seconds)."""
    return embargo.Screener()


def run_cli(cli: Path, *args, stdin: str = "", check_codes=(0,)) -> subprocess.CompletedProcess:
    """Runs the command from the repository root (no embargo.toml there, so the
    default settings, as the package uses)."""
    out = subprocess.run(
        [str(cli), *map(str, args)], cwd=ROOT, input=stdin, capture_output=True, text=True
    )
    assert out.returncode in check_codes, out.stderr
    return out


def json_lines(text: str) -> list:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def generated(gen_orders: Path, n: int, seed: int = 7) -> list:
    """`n` generated orders as dicts."""
    out = subprocess.run([str(gen_orders), str(n), str(seed)], capture_output=True, text=True, check=True)
    return json_lines(out.stdout)


def decision_of_row(table, i: int) -> dict:
    """The `screen` JSON line that row `i` of a `screen_arrow` table holds."""
    row = {name: table.column(name)[i].as_py() for name in table.column_names}
    d = {
        "id": row["id"],
        "decision": row["decision"],
        "hits": json.loads(row["hits"]),
        "ruleset": row["ruleset"],
        "order_hash": row["order_hash"],
        "engine": row["engine"],
        "settings": json.loads(row["settings"]),
        "lists": json.loads(row["lists"]),
    }
    if row["allowed"] is not None:
        d["allowed"] = json.loads(row["allowed"])
    return d
