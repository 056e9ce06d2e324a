#!/usr/bin/env bash
# Starts a real one-node SLURM cluster on this machine (munged, slurmctld, slurmd from Debian's
# slurm-wlm and munge packages), with its configuration, state and logs in one folder.
#
#   bench/slurm/start.sh [DIR]          # default DIR: /tmp/sxtseg-slurm
#   export SLURM_CONF=DIR/slurm.conf    # then sbatch, squeue, sacct ... talk to it
#   bench/slurm/stop.sh [DIR]
#
# Needs root (it starts the daemons as root, as in a container). Installs the packages with
# apt-get when they are missing. Prints "slurm ready" once a job has run.
set -euo pipefail
DIR="${1:-/tmp/sxtseg-slurm}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  echo "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
if [ "$(id -u)" -ne 0 ]; then echo "start.sh: run as root (the daemons run as root here)" >&2; exit 1; fi

HOST="$(hostname -s)"
CPUS="$(nproc)"
MEM_MB="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"
mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/munge"

# munge: its own key and socket in DIR (never touches a site's /etc/munge or /run/munge).
if [ ! -f "$DIR/munge/munge.key" ]; then
  dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
fi
chmod 700 "$DIR/munge"; chmod 400 "$DIR/munge/munge.key"
SOCKET="$DIR/munge/munge.socket"
if [ -f "$DIR/munge/munged.pid" ] && kill -0 "$(cat "$DIR/munge/munged.pid")" 2>/dev/null; then
  echo "munged already running"
else
  munged --force --key-file="$DIR/munge/munge.key" --socket="$SOCKET" \
    --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/munged.seed"
fi

cat > "$DIR/slurm.conf" <<CONF
# One-node cluster for SxtSeg's SLURM bench (bench/slurm/start.sh).
ClusterName=sxtseg
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${SXTSEG_SLURMCTLD_PORT:-6817}
SlurmdPort=${SXTSEG_SLURMD_PORT:-6818}
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MaxArraySize=10001
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmdSpoolDir=$DIR/spool
StateSaveLocation=$DIR/state
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$DIR/slurm.conf"

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
running "$DIR/slurmctld.pid" || slurmctld -f "$SLURM_CONF" -i
running "$DIR/slurmd.pid" || slurmd -f "$SLURM_CONF"

# Wait until the node is idle and a trivial job runs.
for _ in $(seq 1 60); do
  state="$(sinfo -h -N -o '%t' 2>/dev/null | head -n 1 || true)"
  case "$state" in idle*|mix*|alloc*) break ;; esac
  sleep 1
done
if ! sinfo -h -N -o '%t' | grep -Eq 'idle|mix|alloc'; then
  echo "start.sh: the node did not come up; see $DIR/log/" >&2
  sinfo -N >&2 || true
  exit 1
fi
out="$(srun -N1 -n1 -t 1 echo slurm-ok 2>&1)"
if [ "$out" != "slurm-ok" ]; then echo "start.sh: test job failed: $out" >&2; exit 1; fi
echo "slurm ready: export SLURM_CONF=$SLURM_CONF ($CPUS CPUs, $MEM_MB MB on $HOST)"
