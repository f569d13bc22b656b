#!/usr/bin/env bash
# Creates or refreshes clients/python/.venv from requirements.txt; idempotent and quiet on stdout.
# All output goes to stderr so that callers keep stdout for their own results.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
stamp="$venv/.requirements.sha256"
# The contents only (not their paths), so a copy or worktree of the repository sharing the venv agrees.
want="$(cat "$here/requirements.txt" "$here/pyproject.toml" 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "spikeloop: setting up the Python virtualenv in $venv (first use only)..." >&2
py="${SPIKELOOP_PYTHON:-python3}"
"$py" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --upgrade pip >&2
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt" >&2
"$venv/bin/python" -m pip install --quiet -e "$here" >&2
echo "$want" > "$stamp"
