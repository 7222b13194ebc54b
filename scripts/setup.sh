#!/usr/bin/env bash
# Usage: scripts/setup.sh VENV EXTRAS
# Creates VENV and installs biasaudit with EXTRAS (comma-separated) from this checkout.
# torch is pinned first, from pip's configured index: on the project's machines that index
# serves the CPU wheel from local disk. Elsewhere set PIP_INDEX_URL (or PIP_EXTRA_INDEX_URL)
# to https://download.pytorch.org/whl/cpu: PyPI's Linux torch is a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-.venv}
extras=${2:-hf,report}
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
if [[ ",$extras," == *",all,"* || ",$extras," == *",hf,"* ]]; then
  "$venv/bin/python" -m pip install -q "torch==2.13.0"
fi
"$venv/bin/python" -m pip install -q ".[$extras]"
if [[ ",$extras," == *",test,"* ]] && ! command -v chromium >/dev/null 2>&1; then
  # headless Chromium checks the HTML report in a real browser (skipped if unavailable)
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
      >/dev/null) || echo "warning: could not install chromium; browser tests will be skipped"
  fi
fi
