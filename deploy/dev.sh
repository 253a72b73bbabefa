#!/usr/bin/env bash
# Runs the whole platform on this machine for development: a Temporal dev server (with its Web
# UI), one worker and the API. Ctrl-C stops them all. `make run` calls this after building,
# migrating and seeding; run it directly to skip those steps.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p .dev
TEMPORAL_ADDRESS=${TEMPORAL_ADDRESS:-127.0.0.1:7233}
TEMPORAL_UI_PORT=${TEMPORAL_UI_PORT:-8233}
export TEMPORAL_ADDRESS
if [ -z "${JWT_SECRET:-}" ] && [ -f .dev/jwt-secret ]; then
  JWT_SECRET=$(cat .dev/jwt-secret)
  export JWT_SECRET
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

answering() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

if answering "$TEMPORAL_ADDRESS"; then
  echo "Temporal already answering on $TEMPORAL_ADDRESS"
else
  echo "starting Temporal dev server on $TEMPORAL_ADDRESS (Web UI: http://127.0.0.1:$TEMPORAL_UI_PORT)"
  bin/temporal server start-dev --ip "${TEMPORAL_ADDRESS%:*}" --port "${TEMPORAL_ADDRESS##*:}" \
    --ui-port "$TEMPORAL_UI_PORT" --db-filename .dev/temporal.db --log-level warn >.dev/temporal.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do answering "$TEMPORAL_ADDRESS" && break; sleep 0.5; done
  answering "$TEMPORAL_ADDRESS" || { echo "Temporal did not start; see .dev/temporal.log"; exit 1; }
fi

bin/worker &
pids+=($!)
bin/api &
pids+=($!)
echo "API on http://${HTTP_ADDR:-127.0.0.1:8080} (docs: /api/docs); Temporal Web UI on http://127.0.0.1:$TEMPORAL_UI_PORT"
wait -n "${pids[@]}" || true
echo "a process ended; stopping the others"
