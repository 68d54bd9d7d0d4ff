#!/usr/bin/env bash
# Consumer check: proves the *packed* nestjs-hanko-auth works in real user apps.
#
#   .ci/consumer-check.sh                  # every consumer under test/consumer/
#   .ci/consumer-check.sh nest12-esm       # only the named consumer(s)
#
# Steps: build the library, `npm pack` it into a temp dir, then for each app in test/consumer/<name>/:
# copy it to a throwaway dir, `npm install` the tarball plus the app's own deps, check that the Nest
# peers are installed exactly once, compile with the app's strict tsc (skipLibCheck false), and run
# it: the app boots against a HankoTestIssuer on 127.0.0.1, calls its own routes and prints a
# one-line JSON summary (exit 0 = every check passed).
#
# Env: CONSUMER_TARBALL  an already packed nestjs-hanko-auth-*.tgz to check instead of building and
#                        packing again (.ci/run packs once and checks it on several Node majors)
#      CONSUMER_WORKDIR  work dir (default: a fresh mktemp dir under /tmp; removed when all pass)
#      KEEP_CONSUMER_WORKDIR=1  keep the work dir even when everything passed
# Network: the npm registry only (npm cache reused, --prefer-offline); the apps use loopback only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONSUMERS_DIR="$ROOT/test/consumer"
STARTED=$SECONDS

WORK="${CONSUMER_WORKDIR:-$(mktemp -d /tmp/hanko-consumer.XXXXXX)}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

NPM_FLAGS=(--no-audit --no-fund --prefer-offline --loglevel=error --no-update-notifier)

log() { printf '[consumer-check] %s\n' "$*"; }

CURRENT="library"
STEP="init"
STEP_LOG=""

on_exit() {
  local rc=$?
  if [[ $rc -ne 0 && "$CURRENT" == summary ]]; then
    log "work dir kept for inspection: $WORK"
  elif [[ $rc -ne 0 ]]; then
    log "FAILED: consumer=$CURRENT step=$STEP (exit $rc) after $((SECONDS - STARTED)) s"
    if [[ -n "$STEP_LOG" && -s "$STEP_LOG" ]]; then
      log "---- last 60 lines of $STEP_LOG ----"
      tail -n 60 "$STEP_LOG" | sed 's/^/    /'
    fi
    log "work dir kept for inspection: $WORK"
  elif [[ "${KEEP_CONSUMER_WORKDIR:-}" == 1 || -n "${CONSUMER_WORKDIR:-}" ]]; then
    log "work dir kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap on_exit EXIT

# run <step name> <command...>: output goes to $WORK/logs/<consumer>.<step>.log, shown on failure.
run() {
  STEP="$1"
  shift
  STEP_LOG="$WORK/logs/$CURRENT.$STEP.log"
  "$@" >"$STEP_LOG" 2>&1
}

mkdir -p "$WORK/logs" "$WORK/pack"

# ---------------------------------------------------------------- 1. build and pack the library
log "node $(node --version), npm $(npm --version)"
cd "$ROOT"
if [[ -n "${CONSUMER_TARBALL:-}" ]]; then
  STEP="pack"
  [[ -f "$CONSUMER_TARBALL" ]] || { log "CONSUMER_TARBALL $CONSUMER_TARBALL does not exist"; exit 1; }
  TARBALL="$(cd "$(dirname "$CONSUMER_TARBALL")" && pwd)/$(basename "$CONSUMER_TARBALL")"
  log "using the packed $TARBALL"
else
  log "building the library (npm run build)"
  run build npm run build

  log "packing into $WORK/pack"
  run pack npm pack --ignore-scripts --pack-destination "$WORK/pack" "${NPM_FLAGS[@]}"
  shopt -s nullglob
  tarballs=("$WORK"/pack/*.tgz)
  shopt -u nullglob
  STEP="pack"
  [[ ${#tarballs[@]} -eq 1 ]] || { log "expected one tarball in $WORK/pack, found ${#tarballs[@]}"; exit 1; }
  TARBALL="${tarballs[0]}"
fi

STEP="tarball contents"
STEP_LOG="$WORK/logs/library.tarball.log"
tar -tzf "$TARBALL" | sort >"$STEP_LOG"
for required in package/package.json package/README.md package/LICENSE package/CHANGELOG.md \
  package/dist/index.js package/dist/index.d.ts package/dist/testing/index.js package/dist/testing/index.d.ts \
  package/dist/health/index.js package/dist/health/index.d.ts; do
  grep -qx "$required" "$STEP_LOG" || { log "tarball lacks $required"; exit 1; }
done
# Only what a user needs: compiled code and its types, and the four top-level files (no maps,
# tsbuildinfo, sources, tests or fixtures).
if grep -Evq '^package/(dist/.+\.(js|d\.ts)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$' "$STEP_LOG"; then
  log "tarball ships files it should not:"
  grep -Ev '^package/(dist/.+\.(js|d\.ts)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$' "$STEP_LOG"
  exit 1
fi
if tar -xzOf "$TARBALL" --wildcards 'package/dist/*.js' | grep -q 'sourceMappingURL'; then
  log "tarball's code points at source maps it does not ship"
  exit 1
fi
log "tarball: $(basename "$TARBALL"), $(wc -l <"$STEP_LOG") files, $(du -k "$TARBALL" | cut -f1) KiB"

# ---------------------------------------------------------------- 2. each consumer app
if [[ $# -gt 0 ]]; then
  consumers=("$@")
else
  consumers=()
  for dir in "$CONSUMERS_DIR"/*/; do [[ -f "$dir/package.json" ]] && consumers+=("$(basename "$dir")"); done
fi

declare -A RESULT
FAILED=()

# check_consumer <name>: runs in a subshell with its own errexit, so one failing app does not hide
# the result of the next; the subshell's trap reports the step that failed. (It is not called as an
# `if` condition: bash ignores set -e inside a condition, even in a subshell.)
check_consumer() (
  set -euo pipefail
  local consumer="$1"
  CURRENT="$consumer"
  trap consumer_failed EXIT
  STEP="copy"
  local src="$CONSUMERS_DIR/$consumer"
  [[ -f "$src/package.json" ]] || { log "no consumer app at $src"; exit 1; }
  local app="$WORK/apps/$consumer"
  rm -rf "$app"
  mkdir -p "$app"
  # Sources only: never a stray node_modules/dist/lockfile from a manual run.
  (cd "$src" && tar -cf - --exclude=node_modules --exclude=dist --exclude=package-lock.json .) | (cd "$app" && tar -xf -)
  # Every app compiles the same sources (test/consumer/shared/src), each with its own tsconfig.
  mkdir -p "$app/src" && cp -R "$CONSUMERS_DIR/shared/src/." "$app/src/"

  cd "$app"
  log "[$consumer] npm install (tarball + app deps)"
  run install npm install "${NPM_FLAGS[@]}" "$TARBALL"

  # Peers must be deduplicated: exactly one @nestjs/common, reflect-metadata, ... (no nested copy
  # under nestjs-hanko-auth/node_modules).
  STEP="peer dedupe"
  STEP_LOG="$WORK/logs/$consumer.dedupe.log"
  : >"$STEP_LOG"
  local peer copies
  for peer in @nestjs/common @nestjs/core @nestjs/passport passport reflect-metadata rxjs; do
    mapfile -t copies < <(find node_modules -path "*node_modules/$peer/package.json")
    echo "$peer: ${#copies[*]} (${copies[*]})" >>"$STEP_LOG"
    [[ ${#copies[@]} -eq 1 ]] || { log "[$consumer] $peer is installed ${#copies[@]} times: ${copies[*]}"; exit 1; }
  done
  local nest_version
  nest_version=$(node -p "require('./node_modules/@nestjs/core/package.json').version")

  log "[$consumer] tsc (strict, skipLibCheck false) with @nestjs/core $nest_version"
  run tsc ./node_modules/.bin/tsc -p tsconfig.json

  log "[$consumer] boot and probe"
  run boot timeout 90 node dist/main.js
  local summary
  summary=$(grep -E '^\{.*"consumer"' "$STEP_LOG" | tail -n 1 || true)
  STEP="summary"
  [[ -n "$summary" ]] || { log "[$consumer] the app printed no JSON summary"; exit 1; }
  echo "    $summary"
  trap - EXIT
)

consumer_failed() {
  local rc=$?
  [[ $rc -eq 0 ]] && return
  log "[$CURRENT] FAILED at step '$STEP' (exit $rc)"
  if [[ -n "$STEP_LOG" && -s "$STEP_LOG" ]]; then
    log "---- last 40 lines of $STEP_LOG ----"
    tail -n 40 "$STEP_LOG" | sed 's/^/    /'
  fi
  # the parent learns the step from this file
  echo "$STEP" >"$WORK/logs/$CURRENT.failed-step"
}

for consumer in "${consumers[@]}"; do
  t0=$SECONDS
  set +e
  check_consumer "$consumer"
  rc=$?
  set -e
  if [[ $rc -eq 0 ]]; then
    RESULT[$consumer]="PASS ($((SECONDS - t0)) s)"
  else
    RESULT[$consumer]="FAIL at step '$(cat "$WORK/logs/$consumer.failed-step" 2>/dev/null || echo '?')' ($((SECONDS - t0)) s)"
    FAILED+=("$consumer")
  fi
  log "[$consumer] ${RESULT[$consumer]}"
done

CURRENT="summary"
STEP="report"
STEP_LOG=""
log "results after $((SECONDS - STARTED)) s:"
for consumer in "${consumers[@]}"; do log "  $consumer: ${RESULT[$consumer]}"; done
if [[ ${#FAILED[@]} -gt 0 ]]; then
  log "${#FAILED[@]} of ${#consumers[@]} consumer(s) failed: ${FAILED[*]}"
  exit 1
fi
log "all ${#consumers[@]} consumers passed"
