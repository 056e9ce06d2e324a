#!/usr/bin/env bash
# Mutation testing of the library with Stryker.NET (the local dotnet tool in dotnet-tools.json).
#
#   bench/mutation/run.sh [FOLDER...]      default: Volumes Morphology Measurement Evaluation Inference
#
# One Stryker run per folder of src/SxtSeg: it mutates only that folder's files and runs only that
# folder's tests (tests/SxtSeg.Tests/FOLDER, namespace SxtSeg.Tests.FOLDER), so a folder's score says
# how well its own tests guard it. Runs on one core (--concurrency 1) under `nice`: the machine's
# other core is kept free. The committed and working-tree files are copied to a scratch folder first,
# so that building in the work tree meanwhile cannot disturb the run (Stryker swaps the library's
# assembly in the test project's bin/). Reports: bench/mutation/out/FOLDER/ (html, json, markdown;
# not committed) and one line per folder in bench/mutation/out/scores.tsv.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${MUTATION_OUT:-$root/bench/mutation/out}"
folders=("$@")
[ ${#folders[@]} -eq 0 ] && folders=(Volumes Morphology Measurement Evaluation Inference)
mkdir -p "$out"

scratch="$(mktemp -d /tmp/sxtseg-mutation.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
# Tracked and untracked-but-not-ignored files, as they are in the work tree (no bin/, obj/).
(cd "$root" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$scratch"
cd "$scratch"
dotnet tool restore >/dev/null

for folder in "${folders[@]}"; do
  if [ ! -d "src/SxtSeg/$folder" ]; then echo "no folder src/SxtSeg/$folder" >&2; exit 2; fi
  start=$(date +%s)
  echo "== $folder: mutating src/SxtSeg/$folder/**, tests SxtSeg.Tests.$folder"
  # Stryker runs from the test project's folder; --mutate globs are relative to the library project.
  (cd tests/SxtSeg.Tests && nice -n 19 dotnet stryker \
      --project SxtSeg.csproj \
      --configuration Release \
      --concurrency 1 \
      --mutate "**/$folder/**/*.cs" \
      --test-case-filter "FullyQualifiedName~SxtSeg.Tests.$folder." \
      --reporter json --reporter html --reporter markdown --reporter progress \
      --skip-version-check \
      --output "$scratch/stryker-$folder") 2>&1 | tee "$out/$folder.log" | grep -E "^\[|score|Killed|Survived|mutants" || true
  rm -rf "$out/$folder"; mkdir -p "$out/$folder"
  cp -r "$scratch/stryker-$folder/reports/." "$out/$folder/" 2>/dev/null || true
  seconds=$(( $(date +%s) - start ))
  score=$(grep -o 'The final mutation score is [0-9.]* %' "$out/$folder.log" | grep -o '[0-9.]*' | head -n 1)
  echo "== $folder: score ${score:-?} % in ${seconds} s"
  printf '%s\t%s\t%s\t%s\n' "$(date +%F)" "$folder" "${score:-?}" "$seconds" >> "$out/scores.tsv"
done
