#!/usr/bin/env python3
"""Screen a Parquet table of orders with PySpark and write the decisions as Parquet.

    python examples/spark_screen.py [--master local[2]] IN.parquet OUT_DIR
    spark-submit examples/spark_screen.py IN.parquet OUT_DIR

IN.parquet holds orders in the flat column layout (as ``embargo.orders_to_arrow``
writes them, or a CSV file of orders converted to Parquet); OUT_DIR receives one
Parquet file per partition with the columns of ``Screener.screen_arrow`` (``id``,
``decision``, ``rule``, ``rules``, ``entities``, ``categories``, ``top_score``,
``ruleset``, ``hits`` as JSON text, ...).

Spark hands each Python worker its partitions as Arrow record batches
(``mapInArrow``); the worker screens them with one ``embargo.Screener``, built the
first time the worker needs it and kept for every later batch and task (Python
workers are reused), on one thread, as Spark already runs one task per core. The
``embargo`` package must be installed where the workers run.
"""

import argparse
import sys
from pathlib import Path

# The decisions' columns as Spark declares them (`Screener.screen_arrow`'s schema).
DECISIONS = (
    "id string, decision string, rule string, rules array<string>, "
    "entities array<string>, categories array<string>, top_score double, "
    "ruleset string, order_hash string, hits string, allowed string, engine string, "
    "settings string, lists string"
)

# Settings for a local JVM this script starts itself (see main); not applied under
# spark-submit, whose --conf and --driver-java-options decide.
LOCAL_JVM = [
    ("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"),
    ("spark.ui.enabled", "false"),
]


def _submitted() -> bool:
    """Whether spark-submit started this script (and so the JVM already runs)."""
    import os

    return "PYSPARK_GATEWAY_PORT" in os.environ


# One screener per worker process, by rules: module state survives from task to task
# because Spark imports this file as the module `spark_screen` in its workers (the
# driver ships it with addPyFile), rather than unpickling a copy of it with each task.
_SCREENERS = {}


def screener(rules, add_rules):
    """The worker's screener for these rules, built on first use."""
    import embargo

    key = (tuple(rules), tuple(add_rules))
    if key not in _SCREENERS:
        _SCREENERS[key] = embargo.Screener(rules=list(rules) or None, add_rules=list(add_rules) or None)
    return _SCREENERS[key]


def screen_partition(batches, rules=(), add_rules=()):
    """mapInArrow's function: Arrow batches of orders in, batches of decisions out."""
    s = screener(rules, add_rules)
    for batch in batches:
        if batch.num_rows == 0:
            continue
        yield from s.screen_arrow(batch, threads=1).to_batches()


def session(master=None):
    """A Spark session for screening: the given master, else spark-submit's or local[*]."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("embargo-screen")
    if master:
        builder = builder.master(master)
    if not _submitted() and (master or "local").startswith("local"):
        # This process starts the JVM, and in local mode that JVM is the executor too:
        # its start-up (the optimizing compiler's warm-up, the collector's threads, the
        # UI) cost more CPU than its share of screening 300,000 orders, and took it
        # from the cores screening them (docs/PYTHON.md).
        for key, value in LOCAL_JVM:
            builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.addPyFile(str(Path(__file__).resolve()))
    # Screening costs about a CPU-second per MB of Parquet, so opening a file is cheap
    # beside it: split files finely enough that every core gets a share (Spark's
    # default takes 4 MB per file opened and would give a small file to one core),
    # unless the job was told otherwise.
    given = spark.sparkContext.getConf()
    cores = spark.sparkContext.defaultParallelism
    for key, value in [
        ("spark.sql.files.openCostInBytes", str(64 * 1024)),
        ("spark.sql.files.minPartitionNum", str(2 * cores)),
    ]:
        if not given.contains(key):
            spark.conf.set(key, value)
    return spark


def screen_table(spark, source, target, rules=(), add_rules=(), partitions=None):
    """Screen the Parquet orders at `source`, writing decisions to the folder `target`.

    Rules files are given as paths the workers can read; a session can screen any number
    of tables, and its workers keep their screeners from one to the next.
    """
    # Imported by name, so that workers import it too and keep its screeners.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import spark_screen

    rules = [str(Path(p).resolve()) for p in rules]
    add_rules = [str(Path(p).resolve()) for p in add_rules]
    orders = spark.read.parquet(str(source))
    if partitions:
        orders = orders.repartition(partitions)
    decisions = orders.mapInArrow(
        lambda batches: spark_screen.screen_partition(batches, rules, add_rules),
        DECISIONS,
    )
    decisions.write.mode("overwrite").parquet(str(target))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    parser.add_argument("--rules", action="append", default=[], help="exactly these rules (repeatable)")
    parser.add_argument("--add-rules", action="append", default=[], help="the embedded rules and these")
    parser.add_argument(
        "--partitions",
        type=int,
        help="spread the orders over this many partitions first (for an input of one row group)",
    )
    parser.add_argument("input", help="Parquet file or folder of orders")
    parser.add_argument("output", help="folder for the decisions (replaced)")
    args = parser.parse_args(argv)

    spark = session(args.master)
    try:
        screen_table(spark, args.input, args.output, args.rules, args.add_rules, args.partitions)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
