#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for tests/test_status_page.py when they are missing
# (idempotent, output on stderr). The test drives that browser through Selenium (requirements.txt);
# nothing downloads a browser of its own.
set -euo pipefail
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "spikeloop: installing Debian's chromium and chromium-driver for the status page test..." >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver >&2
fi
