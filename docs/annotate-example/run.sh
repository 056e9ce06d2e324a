#!/bin/sh
# The round trip of docs/annotate.md on a simulated tomogram the shipped model was not trained on
# (profile diamond-b24, held out of its training; seed 70101), with the pictures of that page.
# Needs sxtseg on the PATH and python3 with numpy, mrcfile, tifffile and Pillow.
# Run in an empty folder: sh /path/to/docs/annotate-example/run.sh /path/to/docs
set -e
here=$(cd "$(dirname "$0")" && pwd)
docs=${1:-$here/..}
model=$here/../../models/sxtseg-default.sxtmodel

sxtseg simulate sim --profile diamond-b24 --size 256x256x64 --seed 70101          # "your" tomogram
sxtseg segment sim/tomogram.mrc --out seg                                         # 1. segment
python3 "$here/paint.py"                                                          # 2. painted.tif: 4 slices (a user paints them in napari)
sxtseg train --init "$model" --volume sim/tomogram.mrc --labels painted.tif \
  --label-coding painted --out ft --threads 1                                     # 3. fine-tune (defaults: 800 steps, 10-min budget)
sxtseg segment sim/tomogram.mrc --model ft/model.sxtmodel --out seg2              # 4. segment again
sxtseg evaluate --pred seg/labels.mrc --truth sim/membranes.mrc --out eval-before # whole volume, visible membranes, ±1 voxel
sxtseg evaluate --pred seg2/labels.mrc --truth sim/membranes.mrc --out eval-after
for w in before:seg after:seg2; do                                                # the same on the 60 slices not annotated
  sxtseg evaluate --pred ${w#*:}/labels.mrc --truth sim/membranes.mrc \
    --ignore ignore-plus-annotated.mrc --out eval-${w%%:*}-unannotated
done

mkdir -p pics
sxtseg slice sim/tomogram.mrc --z 20 --png pics/raw20.png
sxtseg slice sim/tomogram.mrc --z 24 --png pics/raw24.png
sxtseg slice sim/tomogram.mrc --z 24 --labels seg/labels.tif --png pics/before24.png
sxtseg slice sim/tomogram.mrc --z 24 --labels seg2/labels.tif --png pics/after24.png
f1() { awk -F, '$2==24 {printf "%.2f", $12}' "$1/per-slice.csv"; }
python3 "$here/pictures.py" "$docs" "before: shipped model, F1 $(f1 eval-before) on this slice" \
  "after: fine-tuned on 4 slices, F1 $(f1 eval-after)"
