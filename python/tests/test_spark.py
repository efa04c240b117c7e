"""examples/spark_screen.py on Spark local[2] decides as `embargo screen` does."""

import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

import embargo

from conftest import ROOT, generated, run_cli

if os.environ.get("EMBARGO_REQUIRE_SPARK") != "1":
    pytest.importorskip("pyspark")


def test_spark_example_equals_the_command(cli, gen_orders, tmp_path):
    orders = generated(gen_orders, 4000, seed=9)
    path = tmp_path / "orders.parquet"
    # Several row groups, so that Spark splits the file among its two cores.
    pq.write_table(embargo.orders_to_arrow(orders), path, row_group_size=500)
    out_dir = tmp_path / "decisions"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "spark_screen.py"), "--master", "local[2]", str(path), str(out_dir)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    from_spark = pq.read_table(out_dir).sort_by("id")
    # The file was split: both cores screened a part of it.
    parts = [p for p in out_dir.glob("part-*.parquet") if pq.read_metadata(p).num_rows > 0]
    assert len(parts) >= 2, sorted(out_dir.iterdir())

    cli_out = tmp_path / "cli.parquet"
    run_cli(cli, "screen", path, "-o", cli_out)
    from_cli = pq.read_table(cli_out).sort_by("id")

    assert from_spark.num_rows == len(orders)
    assert from_spark.column_names == from_cli.column_names
    assert from_spark.to_pylist() == from_cli.to_pylist()
    assert len(set(from_spark.column("id").to_pylist())) == len(orders)
