#!/usr/bin/env bash
# Stops what tools/slurm/start.sh started: slurmd, slurmctld and munged, by their pid files; waits (bounded)
# until they are gone. Leaves the configuration for the next start.
set -uo pipefail

stop() { # name pidfile
  local pid
  pid="$(cat "$2" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || { echo "stopped $1 ($pid)"; return; }; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null; echo "killed $1 ($pid) after 10 s"
  fi
}

stop slurmd /run/slurmd.pid
stop slurmctld /run/slurmctld.pid
stop munged /run/munge/munged.pid
