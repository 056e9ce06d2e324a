#!/usr/bin/env bash
# A real SLURM run of SxtSeg's cluster job scripts (docs/cluster/*.sbatch, as the docs show them),
# compared with single runs on the same machine:
#   1. one tomogram split over a 4-task array (segment --shard) and merged: labels identical to
#      a single run's;
#   2. a batch of three tomograms, one of them broken, as a 3-task array (one tomogram per task)
#      and merged: the two good ones identical to single runs, the broken one reported in
#      batch.csv, merge's exit code 3.
#
#   bench/slurm/run.sh [WORK]      (WORK default /tmp/sxtseg-slurm-bench; cluster state in
#                                   $SXTSEG_SLURM_DIR, default /tmp/sxtseg-slurm; stop it with stop.sh)
# Prints one line per check and "SLURM BENCH PASSED" at the end (exit 0), or the failing check.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${1:-/tmp/sxtseg-slurm-bench}"
SLURM_DIR="${SXTSEG_SLURM_DIR:-/tmp/sxtseg-slurm}"
SIZE="${SXTSEG_BENCH_SIZE:-160x160x48}"
# Options of every run (single and array): a low threshold, so that the shipped model's labels on
# these small simulations are far from empty, and the probability map, compared too.
export SXTSEG_OPTIONS="${SXTSEG_OPTIONS:---threshold 0.02 --probabilities float16 --polarity dense-bright}"
t0=$(date +%s)
rm -rf "$WORK"; mkdir -p "$WORK/bin" "$WORK/data"
"$REPO/bench/slurm/start.sh" "$SLURM_DIR"
export SLURM_CONF="$SLURM_DIR/slurm.conf"

# sxtseg on PATH for the jobs: the Release build of this checkout.
dotnet build "$REPO/src/SxtSeg.Cli" -c Release -v q -nologo >/dev/null
cat > "$WORK/bin/sxtseg" <<SH
#!/bin/sh
exec dotnet "$REPO/src/SxtSeg.Cli/bin/Release/net10.0/sxtseg.dll" "\$@"
SH
chmod +x "$WORK/bin/sxtseg"
export PATH="$WORK/bin:$PATH"
fail() { echo "FAILED: $*" >&2; exit 1; }
t_setup=$(date +%s)

# Data: three simulated tomograms and a truncated one.
for i in 1 2; do
  # seeds 11 and 12 hold a cell with membranes in this field of view (seeds 1, 2 at this size show only ice)
  sxtseg simulate "$WORK/sim$i" --size "$SIZE" --seed "$((10 + i))" -q >/dev/null
  cp "$WORK/sim$i/tomogram.mrc" "$WORK/data/cell0$i.mrc"
done
head -c 5000 "$WORK/data/cell01.mrc" > "$WORK/data/cell03.mrc"

# Single runs, for comparison.
for i in 1 2; do
  # shellcheck disable=SC2086
  sxtseg segment "$WORK/data/cell0$i.mrc" --out "$WORK/single/cell0$i" --workers 1 -q $SXTSEG_OPTIONS >/dev/null
  frac=$(sed -n 's/.*"labelled_fraction": \([0-9.eE+-]*\).*/\1/p' "$WORK/single/cell0$i/segment.json")
  /usr/bin/python3 -c "import sys; sys.exit(0 if float('$frac') > 1e-3 else 1)" || fail "single run of cell0$i labels only $frac of the volume: nothing to compare"
  echo "single run cell0$i: membrane fraction $frac"
done
t_single=$(date +%s)

wait_job() {  # waits until job $1 has left the queue; prints its state(s)
  while [ -n "$(squeue -h -j "$1" 2>/dev/null)" ]; do sleep 1; done
  scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort | uniq -c | tr '\n' ' '
}
same_labels() {  # same labels and probabilities in two output folders (headers differ: provenance)
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, os, mrcfile, numpy as np
for f in ("labels.mrc", "probabilities.mrc"):
    a, b = (mrcfile.read(os.path.join(d, f)) for d in sys.argv[1:3])
    if a.shape != b.shape or not np.array_equal(a, b):
        sys.exit(1)
PY
}
cd "$WORK"

# 1. Shards of one tomogram + merge.
job=$(sbatch --parsable --export=ALL,TOMOGRAM="$WORK/data/cell01.mrc",OUT="$WORK/shards" "$REPO/docs/cluster/segment-shards.sbatch")
merge=$(sbatch --parsable --dependency=afterok:"$job" --export=ALL,OUT="$WORK/shards" "$REPO/docs/cluster/merge.sbatch")
echo "shards: array job $job: $(wait_job "$job")"
echo "shards: merge job $merge: $(wait_job "$merge")"
ls "$WORK/shards"/shard-000?-of-0004.mrc >/dev/null || fail "shard files missing"
same_labels "$WORK/single/cell01" "$WORK/shards" || fail "merged labels or probabilities differ from the single run"
echo "shards: 4 shards merged; labels and probabilities identical to the single run"
t_shards=$(date +%s)

# 2. A batch, one array task per tomogram, + merge (afterany: the table is wanted even if one fails).
job=$(sbatch --parsable --export=ALL,INPUTS="$WORK/data/*.mrc",OUT="$WORK/batch" "$REPO/docs/cluster/segment-batch.sbatch")
merge=$(sbatch --parsable --dependency=afterany:"$job" --export=ALL,OUT="$WORK/batch" "$REPO/docs/cluster/merge.sbatch")
echo "batch: array job $job: $(wait_job "$job")"
echo "batch: merge job $merge: $(wait_job "$merge")"
for i in 1 2; do
  same_labels "$WORK/single/cell0$i" "$WORK/batch/cell0$i" || fail "batch cell0$i differs from its single run"
done
grep -q '^[^,]*cell03.mrc,cell03,failed,' "$WORK/batch/batch.csv" || fail "the broken tomogram is not reported as failed in batch.csv"
[ "$(grep -c ',ok,' "$WORK/batch/batch.csv")" = 2 ] || fail "batch.csv does not list two segmented tomograms"
grep -q 'ExitCode=3:0' <(scontrol show job "$merge") || fail "merge did not exit with code 3 for the failed tomogram"
echo "batch: 2 of 3 segmented, identical to single runs; cell03 failed (truncated) and is in batch.csv; merge exit code 3"
t_batch=$(date +%s)
echo "timings (s): setup $((t_setup - t0)), data + single runs $((t_single - t_setup)), shards $((t_shards - t_single)), batch $((t_batch - t_shards)), total $((t_batch - t0))"
echo "SLURM BENCH PASSED"
