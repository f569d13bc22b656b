#!/usr/bin/env bash
# Checks that ops/docker/Dockerfile builds and runs Spikeloop the way the launcher, the README and CI do,
# without a container engine (CI has none):
#   - the build stage runs the launcher's Maven command (read from ./spikeloop, not restated here);
#   - the runtime stage copies the launcher's jar (app/target/spikeloop.jar) to /opt/spikeloop/spikeloop.jar
#     and its ENTRYPOINT is exactly `java -jar /opt/spikeloop/spikeloop.jar`, the command ops/README.md documents;
#   - the runtime stage runs as a non-root user, declares the recordings/checkpoints volumes and the gRPC,
#     health and metrics ports that ops/k8s uses;
#   - liblsl comes from the pylsl version pinned in clients/python/requirements.txt, checked by hash;
#   - then (unless --static-only) runs that entrypoint's `--help` outside a container on the built jar.
# Usage: ops/check-dockerfile.sh [--static-only]. Env overrides for the tests: DOCKERFILE, LAUNCHER,
# OPS_README, REQUIREMENTS, JAR. Exit 0 when every check passes, 1 with one line per failed check otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="${DOCKERFILE:-$root/ops/docker/Dockerfile}"
launcher="${LAUNCHER:-$root/spikeloop}"
readme="${OPS_README:-$root/ops/README.md}"
requirements="${REQUIREMENTS:-$root/clients/python/requirements.txt}"
jar="${JAR:-$root/app/target/spikeloop.jar}"
static_only=0
[[ "${1:-}" == "--static-only" ]] && static_only=1

failures=0
fail() { echo "check-dockerfile: FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "check-dockerfile: ok: $*"; }

for f in "$dockerfile" "$launcher" "$readme" "$requirements"; do
  [[ -f "$f" ]] || { echo "check-dockerfile: FAIL: missing file $f" >&2; exit 1; }
done

# Stages, with line continuations joined: stage N's instructions are printed by `stage N` (1-based);
# the build stage is the one named `AS build`, the runtime stage is the last.
joined="$(sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' "$dockerfile" | grep -v '^[[:space:]]*#')"
stage_count="$(grep -ciE '^[[:space:]]*FROM[[:space:]]' <<<"$joined" || true)"
stage() { awk -v want="$1" 'toupper($1) == "FROM" { n++ } n == want' <<<"$joined"; }
build_index="$(grep -iE '^[[:space:]]*FROM[[:space:]]' <<<"$joined" | grep -niE '[[:space:]]AS[[:space:]]+build[[:space:]]*$' \
  | head -n1 | cut -d: -f1 || true)"
[[ -n "$build_index" ]] || { fail "no stage named 'build' (FROM ... AS build)"; build_index=0; }
build_stage="$(stage "$build_index")"
runtime_stage="$(stage "$stage_count")"
[[ "$stage_count" -ge 2 && "$build_index" != "$stage_count" ]] || fail "need a separate runtime stage after the build stage"

# 1. Maven command: the exact one the launcher runs.
mvn_cmd="$(grep -oE 'mvn -B[^)]*install' "$launcher" | head -n1 || true)"
if [[ -z "$mvn_cmd" ]]; then
  fail "cannot find the Maven command in $launcher"
elif grep -E '^[[:space:]]*RUN[[:space:]]' <<<"$build_stage" | grep -qF -- "$mvn_cmd"; then
  ok "build stage runs the launcher's '$mvn_cmd'"
else
  fail "build stage does not RUN the launcher's Maven command '$mvn_cmd'"
fi

# 2. The jar: the launcher's path, copied from the build stage into the runtime stage.
launcher_jar="$(grep -oE 'jar="\$home/[^"]+"' "$launcher" | sed -e 's/^jar="\$home\///' -e 's/"$//' | head -n1 || true)"
[[ "$launcher_jar" == "app/target/spikeloop.jar" ]] \
  || fail "launcher runs '$launcher_jar', expected app/target/spikeloop.jar"
grep -qE 'exec java .*-jar "\$jar"' "$launcher" || fail "launcher does not exec 'java ... -jar \"\$jar\"'"
if grep -qE "^[[:space:]]*COPY[[:space:]]+--from=build[[:space:]]+/src/${launcher_jar}[[:space:]]+/opt/spikeloop/spikeloop.jar[[:space:]]*$" \
    <<<"$runtime_stage"; then
  ok "runtime stage copies $launcher_jar to /opt/spikeloop/spikeloop.jar"
else
  fail "runtime stage does not COPY --from=build /src/$launcher_jar /opt/spikeloop/spikeloop.jar"
fi

# 3. Entrypoint: exactly the documented command.
entry="$(grep -E '^[[:space:]]*ENTRYPOINT' <<<"$runtime_stage" | tail -n1 | tr -d ' ' || true)"
if [[ "$entry" == 'ENTRYPOINT["java","-jar","/opt/spikeloop/spikeloop.jar"]' ]]; then
  ok "ENTRYPOINT is java -jar /opt/spikeloop/spikeloop.jar"
else
  fail "runtime ENTRYPOINT is '${entry:-none}', expected [\"java\", \"-jar\", \"/opt/spikeloop/spikeloop.jar\"]"
fi
grep -qF 'java -jar /opt/spikeloop/spikeloop.jar' "$readme" \
  || fail "$readme does not document the entrypoint 'java -jar /opt/spikeloop/spikeloop.jar'"
grep -qF 'java -jar app/target/spikeloop.jar --help' "$readme" \
  || fail "$readme does not document the CI check 'java -jar app/target/spikeloop.jar --help'"

# 4. Non-root user, volumes, ports.
user="$(grep -E '^[[:space:]]*USER[[:space:]]' <<<"$runtime_stage" | tail -n1 | awk '{print $2}' || true)"
if [[ -z "$user" || "$user" == root || "$user" == 0 || "$user" == 0:* || "$user" == root:* ]]; then
  fail "runtime stage must end with a non-root USER (got '${user:-none}')"
else
  ok "runtime runs as USER $user"
fi
for v in /var/lib/spikeloop/recordings /var/lib/spikeloop/checkpoints; do
  grep -E '^[[:space:]]*VOLUME' <<<"$runtime_stage" | grep -qF "\"$v\"" || fail "runtime stage does not declare VOLUME $v"
done
for p in 50051 50052 9464; do
  grep -E '^[[:space:]]*EXPOSE' <<<"$runtime_stage" | grep -qE "(^|[[:space:]])$p(/tcp)?([[:space:]]|$)" \
    || fail "runtime stage does not EXPOSE $p"
done

# 5. liblsl: the pinned pylsl version, fetched by hash.
pin="$(grep -oE '^pylsl==[0-9][0-9.]*' "$requirements" | cut -d= -f3 || true)"
arg="$(grep -oE 'ARG PYLSL_VERSION=[0-9][0-9.]*' "$dockerfile" | cut -d= -f2 || true)"
if [[ -z "$pin" ]]; then
  fail "$requirements does not pin pylsl exactly (pylsl==X.Y.Z)"
elif [[ "$pin" != "$arg" ]]; then
  fail "Dockerfile PYLSL_VERSION '$arg' differs from requirements.txt pin '$pin'"
else
  ok "liblsl from pylsl $pin (requirements.txt pin)"
fi
grep -qF -- '--require-hashes' "$dockerfile" || fail "pylsl wheel is not downloaded with --require-hashes"
grep -qE 'sha256sum -c' "$dockerfile" || fail "extracted liblsl.so is not checked against its sha256"
grep -qE '^[[:space:]]*ENV.*SPIKELOOP_LIBLSL=/opt/spikeloop/lib/liblsl.so' <<<"$runtime_stage" \
  || fail "runtime stage does not set SPIKELOOP_LIBLSL=/opt/spikeloop/lib/liblsl.so"

# 6. The entrypoint's --help outside a container, on the jar the build stage produces.
if [[ "$static_only" == 0 ]]; then
  if [[ ! -f "$jar" ]]; then
    fail "$jar not built (run: mvn -B -q -DskipTests install)"
  elif help="$(java -jar "$jar" --help 2>&1)"; then
    for cmd in serve train; do
      grep -qE "^[[:space:]]+$cmd[[:space:]]" <<<"$help" || fail "'java -jar $jar --help' does not list '$cmd'"
    done
    ok "java -jar app/target/spikeloop.jar --help lists serve and train"
  else
    fail "java -jar $jar --help exited non-zero: $(head -n3 <<<"$help")"
  fi
fi

if [[ "$failures" -gt 0 ]]; then
  echo "check-dockerfile: $failures check(s) failed" >&2
  exit 1
fi
echo "check-dockerfile: all checks passed"
