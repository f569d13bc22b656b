#!/usr/bin/env bash
# Creates or refreshes clients/python/.venv-nir, the second virtualenv of the NIR interop tests
# (tests/test_nir.py): Debian's CPU python3-torch (installed with apt-get when missing) under snnTorch, nir and
# nirtorch from requirements-nir.txt. Idempotent; all output on stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv-nir"
stamp="$venv/.requirements.sha256"
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "spikeloop: installing Debian's python3-torch for the NIR interop tests..." >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3-torch python3-venv python3-pip >&2
fi
want="$(cat "$here/requirements-nir.txt" | sha256sum | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "spikeloop: setting up the NIR interop virtualenv in $venv (first use only)..." >&2
rm -rf "$venv"
/usr/bin/python3 -m venv --system-site-packages "$venv" >&2
"$venv/bin/python" -m pip install --quiet -r "$here/requirements-nir.txt" >&2
"$venv/bin/python" -c "import torch, snntorch, nir, nirtorch" >&2
echo "$want" > "$stamp"
