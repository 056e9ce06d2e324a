#!/usr/bin/env bash
# Mutation testing of the library with Stryker.NET (the local dotnet tool in dotnet-tools.json).
#
#   bench/mutation/run.sh [--together] [FOLDER[:File.cs,File.cs...]...]
#       default folders: Volumes Morphology Measurement Evaluation Inference (all their files)
#
# FOLDER mutates src/SxtSeg/FOLDER/** and runs its own tests (tests/SxtSeg.Tests/FOLDER, namespace
# SxtSeg.Tests.FOLDER), so a folder's score says how well its own tests guard it; FOLDER:A.cs,B.cs
# mutates only those files of the folder (a subset, for a folder too slow to run whole).
# By default one Stryker run per folder. --together makes one run of all the folders named (their
# files mutated, their tests run): Stryker builds and instruments the whole library for every run
# (about 12 minutes on 2 cores before the first mutant is tested), so one run saves that per folder;
# a mutant may then also be killed by another folder's tests.
#
# MUTATION_FILTER replaces the tests run (a dotnet test --filter expression), e.g. the test classes
# that target the files of a subset: a mutant is run against every test covering it, and a folder's
# whole suite (Inference: networks on tomograms) costs minutes per mutant on 2 shared cores.
#
# Runs on one core (--concurrency 1) under `nice -n 19`: the machine's other core is kept free.
# The committed and working-tree files are copied to a scratch folder first, so that building in
# the work tree meanwhile cannot disturb the run (Stryker swaps the library's assembly in the test
# project's bin/). Reports: bench/mutation/out/NAME/ (html, json, markdown; not committed) and one
# line per folder (date, folder, score %, killed, survived, no coverage, timeouts, seconds, files)
# in bench/mutation/out/scores.tsv. Score = (killed + timeouts) / (killed + timeouts + survived +
# no coverage), Stryker's own definition; compile errors and ignored mutants do not count.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${MUTATION_OUT:-$root/bench/mutation/out}"
# A relative MUTATION_OUT is taken from where the script was started (the run below changes folder).
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
together=0
if [ "${1:-}" = "--together" ]; then together=1; shift; fi
specs=("$@")
[ ${#specs[@]} -eq 0 ] && specs=(Volumes Morphology Measurement Evaluation Inference)
mkdir -p "$out"

scratch="$(mktemp -d /tmp/sxtseg-mutation.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
# Tracked and untracked-but-not-ignored files, as they are in the work tree (no bin/, obj/).
(cd "$root" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$scratch"
cd "$scratch"
dotnet tool restore >/dev/null

# Stryker arguments for one spec: --mutate globs (relative to the library project) and the test filter.
mutate_args() {
  local folder="${1%%:*}" files=""
  [ "$1" != "$folder" ] && files="${1#*:}"
  if [ ! -d "src/SxtSeg/$folder" ]; then echo "no folder src/SxtSeg/$folder" >&2; exit 2; fi
  if [ -z "$files" ]; then
    printf -- '--mutate\n**/%s/**/*.cs\n' "$folder"
  else
    local f
    for f in ${files//,/ }; do
      [ -f "src/SxtSeg/$folder/$f" ] || { echo "no file src/SxtSeg/$folder/$f" >&2; exit 2; }
      printf -- '--mutate\n**/%s/%s\n' "$folder" "$f"
    done
  fi
}

# Per-folder scores of a run's JSON report, appended to scores.tsv and printed.
score() { # report seconds spec...
  local report="$1" seconds="$2"; shift 2
  python3 - "$report" "$seconds" "$(date +%F)" "$@" >> "$out/scores.tsv" <<'PY'
import json, sys
report, seconds, day, specs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
files = json.load(open(report))["files"]
for spec in specs:
    folder = spec.split(":")[0]
    subset = spec.split(":")[1] if ":" in spec else "all"
    n = {"Killed": 0, "Survived": 0, "NoCoverage": 0, "Timeout": 0}
    for path, f in files.items():
        if f"/SxtSeg/{folder}/" not in "/" + path.replace("\\", "/"):
            continue
        for m in f["mutants"]:
            if m["status"] in n:
                n[m["status"]] += 1
    valid = sum(n.values())
    pct = f"{100 * (n['Killed'] + n['Timeout']) / valid:.1f}" if valid else "?"
    line = f"{day}\t{folder}\t{pct}\t{n['Killed']}\t{n['Survived']}\t{n['NoCoverage']}\t{n['Timeout']}\t{seconds}\t{subset}"
    print(line)
    print(f"== {folder}: score {pct} % (killed {n['Killed']}, survived {n['Survived']}, no coverage {n['NoCoverage']}, timeouts {n['Timeout']}; files: {subset})", file=sys.stderr)
PY
}

run() { # name spec...
  local name="$1"; shift
  local args=() filter="" spec line
  for spec in "$@"; do
    while IFS= read -r line; do args+=("$line"); done < <(mutate_args "$spec")
    filter="${filter:+$filter|}FullyQualifiedName~SxtSeg.Tests.${spec%%:*}."
  done
  filter="${MUTATION_FILTER:-$filter}"
  local start; start=$(date +%s)
  echo "== $name: ${args[*]}; tests $filter"
  # Stryker runs from the test project's folder; --mutate globs are relative to the library project.
  (cd tests/SxtSeg.Tests && nice -n 19 dotnet stryker \
      --project SxtSeg.csproj \
      --configuration Release \
      --concurrency 1 \
      "${args[@]}" \
      --test-case-filter "$filter" \
      --reporter json --reporter html --reporter markdown --reporter progress \
      --skip-version-check \
      --output "$scratch/stryker-$name") 2>&1 | tee "$out/$name.log" | grep -E "^\[.*(INF|ERR)|score" || true
  rm -rf "${out:?}/$name"; mkdir -p "$out/$name"
  cp -r "$scratch/stryker-$name/reports/." "$out/$name/" 2>/dev/null || true
  local report="$out/$name/mutation-report.json"
  if [ -f "$report" ]; then score "$report" $(( $(date +%s) - start )) "$@"
  else echo "== $name: no report (see $out/$name.log)" >&2; fi
}

if [ $together -eq 1 ]; then
  run together "${specs[@]}"
else
  for spec in "${specs[@]}"; do run "${spec%%:*}" "$spec"; done
fi
