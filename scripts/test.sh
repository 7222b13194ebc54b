#!/usr/bin/env bash
# The test command: lint, then the whole test suite against the installed package.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m ruff check src tests benchmarks examples
python -m pytest -q -p no:cacheprovider
