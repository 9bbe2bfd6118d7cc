#!/bin/bash
# Instructions per request inside a real gunicorn worker, under callgrind: 1 worker with THREADS
# threads (8), 30 warm-up requests, then N (50) sequential keep-alive requests measured. bench/instructions.py measures the WSGI application
# only; this adds gunicorn's own work (HTTP parsing, environ, writing the response, the gthread poller).
#   bench/worker_instructions.sh [chat|quick_recs]      WT=<worktree> PORTG=<port> N=<requests> CONF=<gunicorn config>
set -e
KIND=${1:-chat}
cd "${WT:-$(dirname "$0")/..}"
export DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://postgres@127.0.0.1:5432/violetvibes_bench REDIS_URL=redis://127.0.0.1:6379/14
export DJANGO_SECRET_KEY=bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz JWT_SECRET=bench-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz FIELD_ENCRYPTION_KEY=YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=false LOG_LEVEL=WARNING RATELIMIT_ENABLE=false NWS_ENABLED=false WEB_CONCURRENCY=1 GUNICORN_THREADS=${THREADS:-8} PYTHONHASHSEED=0
PORTG=${PORTG:-8178}
OUT=/tmp/worker-cg-$PORTG
rm -f $OUT.*
valgrind --tool=callgrind --instr-atstart=no --trace-children=yes --callgrind-out-file=$OUT.%p .venv/bin/gunicorn violetvibes.wsgi:application --config "${CONF:-gunicorn.conf.py}" --bind 127.0.0.1:$PORTG > $OUT.log 2>&1 &
MASTER=$!
trap 'kill $MASTER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fsS http://127.0.0.1:$PORTG/health >/dev/null 2>&1 && break; sleep 1; done
W=$(pgrep -P $MASTER | sort -n | tail -1)
requests() {
  .venv/bin/python - "$1" <<PY
import sys
import requests
s = requests.Session()
base = "http://127.0.0.1:$PORTG"
for _ in range(int(sys.argv[1])):
    s.cookies.clear()  # a new conversation each time
    if "$KIND" == "chat":
        r = s.post(base + "/api/chat", json={"message": "where can I get a quick bite near campus?"})
    else:
        r = s.get(base + "/api/quick_recs?category=quick_bites&latitude=40.7295&longitude=-73.9965")
    r.raise_for_status()
PY
}
requests 30
callgrind_control --instr=on $W >/dev/null
requests ${N:-50}
callgrind_control --dump=m $W >/dev/null; callgrind_control --instr=off $W >/dev/null
f=$(ls $OUT.$W.1 2>/dev/null || ls $OUT.$W* | head -1)
tot=$(grep -E "^(summary|totals):" $f | head -1 | awk '{print $2}')
echo "$KIND worker $W threads=${THREADS:-8}: $((tot / ${N:-50})) instructions/request ($f)"
