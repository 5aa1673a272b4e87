#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine by hand, as root and without systemd: munged, slurmctld
# and slurmd with a slurm.conf written from `slurmd -C` (proctrack/linuxproc, task/none, JobRequeue=1).
# For the Slurm sweep test (TinyDl.Tests/Sweeps/SlurmSweepTests.cs) and CI; stop it with tools/slurm/stop.sh.
# Needs: apt-get install slurm-wlm munge. Idempotent: a cluster it started already is left running.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then echo "tools/slurm/start.sh must run as root (it starts munged, slurmctld and slurmd)." >&2; exit 1; fi
for tool in munged slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y slurm-wlm munge" >&2; exit 1; }
done

marker="# Written by TinyDl tools/slurm/start.sh"
conf=/etc/slurm/slurm.conf
if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
  echo "$conf exists and was not written by this script; not touching it." >&2; exit 1
fi

# munge: its key comes with the package (mungekey makes one when missing).
mkdir -p /run/munge /var/lib/munge /var/log/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge
[ -f /etc/munge/munge.key ] || runuser -u munge -- mungekey --create
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- munged
fi

node_line="$(slurmd -C | head -n 1)"
node="$(printf '%s\n' "$node_line" | sed -n 's/^NodeName=\([^ ]*\).*/\1/p')"
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > "$conf" <<CONF
$marker
ClusterName=tinydl
SlurmctldHost=$(hostname -s)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobRequeue=1
KillWait=30
MinJobAge=600
$node_line State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd

# Bounded wait until the node takes jobs.
for _ in $(seq 1 60); do
  state="$(sinfo -h -n "$node" -o '%t' 2>/dev/null || true)"
  case "$state" in
    idle*|mix*|alloc*) echo "Slurm is up: node $node is $state ($(sinfo -h -o '%P %c CPUs'))."; exit 0 ;;
  esac
  sleep 0.5
done
echo "Slurm did not come up within 30 s (node state '${state:-none}'); see /var/log/slurm/slurmctld.log and slurmd.log." >&2
exit 1
