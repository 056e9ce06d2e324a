#!/usr/bin/env bash
# Stops the daemons bench/slurm/start.sh started (by their pid files in DIR; nothing else).
DIR="${1:-/tmp/sxtseg-slurm}"
for f in slurmd.pid slurmctld.pid munge/munged.pid; do
  p="$DIR/$f"
  [ -f "$p" ] || continue
  pid="$(cat "$p")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -f "$p"
done
echo "slurm stopped ($DIR)"
