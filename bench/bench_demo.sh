#!/bin/bash
# How long `make demo` takes on a fresh clone, until the explorer's API serves the example events:
#   bench/bench_demo.sh          with ../shared beside the clone, then without it
# Each run clones this repository's HEAD into a temporary folder, runs `make demo` (venv, install,
# front-end libraries, ingest of examples/, serve) and asks /api/v1/events and /api/v1/map until they
# answer; it prints the seconds and the counts, then stops the server.
set -u
REPO=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
SHARED=$(cd "$REPO/.." && pwd)/shared
run() {
  local with=$1 d
  d=$(mktemp -d)
  git clone -q "$REPO" "$d/rasad"
  if [ "$with" = 1 ]; then ln -s "$SHARED" "$d/shared"; fi
  cd "$d/rasad" || exit 1
  local start end url n m pid
  start=$(date +%s.%N)
  setsid make demo > demo.log 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    url=$(grep -o "at http://[0-9.:]*" demo.log | head -1 | cut -c4-)
    if [ -n "$url" ]; then
      n=$(curl -s "$url/api/v1/events?per_page=1" | python3 -c "import sys, json; print(json.load(sys.stdin)['total'])" 2>/dev/null)
      m=$(curl -s "$url/api/v1/map" | python3 -c "import sys, json; print(len(json.load(sys.stdin)['features']))" 2>/dev/null)
      if [ -n "$n" ]; then
        end=$(date +%s.%N)
        echo "make demo, ../shared $([ "$with" = 1 ] && echo beside || echo absent): $n events, $m on the map, after $(python3 -c "print(round($end - $start, 1))") s"
        break
      fi
    fi
    sleep 0.5
  done
  kill -- -"$pid" 2>/dev/null
  cd / && rm -rf "$d"
}
run 1
run 0
