#!/usr/bin/env bash
# Installs the tools the ops tests need when they are missing (idempotent, output on stderr):
# promtool and prometheus from Debian's `prometheus` package, kustomize from the Go module proxy.
set -euo pipefail
if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
  echo "spikeloop: installing Debian's prometheus (promtool) for the ops tests..." >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
fi
if ! command -v kustomize >/dev/null && [[ ! -x "$(go env GOPATH)/bin/kustomize" ]]; then
  echo "spikeloop: installing kustomize v5.5.0 for the ops tests..." >&2
  go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0 >&2
fi
