#!/usr/bin/env bash
# The Python package's tests (python/tests, pytest), Spark included: makes a virtual
# environment (.venv-ci, or $EMBARGO_VENV) with pinned maturin, pyarrow, pytest,
# pyspark and pandas from PyPI, installs the package from this checkout (pip install ./python,
# which builds the wheel with maturin), builds the `embargo` command and the order
# generator the tests compare with, and runs pytest. Spark needs a Java runtime:
# Debian's default-jre-headless is installed when `java` is missing.
#
#   scripts/test-python.sh [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

MATURIN_VERSION=1.16.0
PYARROW_VERSION=26.0.1
PYTEST_VERSION=9.2.0
PYSPARK_VERSION=4.3.0
# pyspark's mapInArrow goes through its pandas UDF machinery, which wants pandas.
PANDAS_VERSION=2.3.3
NUMPY_VERSION=2.4.6

venv="$(pwd)/${EMBARGO_VENV:-.venv-ci}"
pip=(python -m pip install --quiet --disable-pip-version-check)

if ! command -v java >/dev/null 2>&1; then
    echo "== Java runtime for Spark (Debian's default-jre-headless)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq default-jre-headless >/dev/null
fi

echo "== Python environment $venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# shellcheck disable=SC1091
source "$venv/bin/activate"
"${pip[@]}" "maturin==$MATURIN_VERSION" "pyarrow==$PYARROW_VERSION" \
    "pytest==$PYTEST_VERSION" "pyspark==$PYSPARK_VERSION" \
    "pandas==$PANDAS_VERSION" "numpy==$NUMPY_VERSION"

echo "== pip install ./python (maturin, release build of the extension module)"
# Built with the pinned maturin above, not whichever PyPI has today.
"${pip[@]}" --no-build-isolation --force-reinstall --no-deps ./python

echo "== the command and order generator the tests compare with"
cargo build --release --locked -p embargo-cli
cargo build --release --locked --example gen_orders

echo "== pytest python/tests"
export EMBARGO_REQUIRE_SPARK=1
export PYSPARK_PYTHON="$venv/bin/python" PYSPARK_DRIVER_PYTHON="$venv/bin/python"
python -m pytest -q python/tests "$@"
