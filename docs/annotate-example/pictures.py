# The pictures of docs/annotate.md, from the round trip's outputs (run in the folder of run.sh):
#   annotate-painted.png  slice 20: the tomogram and the painted annotation as a napari labels layer shows it
#   annotate-before.png   slice 24 (not annotated): the shipped model's labels in red
#   annotate-after.png    slice 24: the fine-tuned model's labels in red
#   annotate-truth.png    slice 24: the simulation's exact visible membranes in green (what a perfect model gives)
# Inputs: pics/*.png written by `sxtseg slice`, painted.tif, sim/membranes.mrc, sim/ignore.mrc.
# Usage: python3 pictures.py OUTDIR "CAPTION BEFORE" "CAPTION AFTER"
import sys
import numpy as np, mrcfile, tifffile
from PIL import Image, ImageDraw, ImageFont

out = sys.argv[1]
cap_before, cap_after = sys.argv[2], sys.argv[3]
SCALE = 2
FONT = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 15)

def panel(rgb, caption):
    """Upscale an RGB slice (nearest, so pixels stay sharp) and put a caption bar above it."""
    img = Image.fromarray(rgb).resize((rgb.shape[1] * SCALE, rgb.shape[0] * SCALE), Image.NEAREST)
    canvas = Image.new('RGB', (img.width, img.height + 24), 'white')
    canvas.paste(img, (0, 24))
    ImageDraw.Draw(canvas).text((6, 3), caption, fill='black', font=FONT)
    return canvas

def side_by_side(panels):
    w = sum(p.width for p in panels) + 8 * (len(panels) - 1)
    canvas = Image.new('RGB', (w, max(p.height for p in panels)), 'white')
    x = 0
    for p in panels:
        canvas.paste(p, (x, 0)); x += p.width + 8
    return canvas

def save(img, name):
    # 256-colour palette: gray + one or two overlay colours fit, and the file stays small
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(f'{out}/{name}', optimize=True)

def rgb(path):
    return np.asarray(Image.open(path).convert('RGB'))

# painted annotation, slice 20
raw20 = rgb('pics/raw20.png').astype(np.float32)
painted = tifffile.imread('painted.tif')[20]
colours = {1: (40, 120, 255), 2: (255, 220, 0)}   # background blue, membrane yellow
over = raw20.copy()
lab = np.zeros_like(raw20)
for v, c in colours.items():
    m = painted == v
    over[m] = 0.5 * raw20[m] + 0.5 * np.array(c, np.float32)
    lab[m] = c
save(side_by_side([panel(raw20.astype(np.uint8), 'tomogram, slice 20'),
                   panel(over.astype(np.uint8), 'painted over it (opacity 0.5)'),
                   panel(lab.astype(np.uint8), 'painted.tif: 0 black, 1 blue, 2 yellow')]), 'annotate-painted.png')

# before / after / truth, slice 24
save(panel(rgb('pics/before24.png'), cap_before), 'annotate-before.png')
save(panel(rgb('pics/after24.png'), cap_after), 'annotate-after.png')
raw24 = rgb('pics/raw24.png').astype(np.float32)
t = mrcfile.read('sim/membranes.mrc')[24] != 0
g = mrcfile.read('sim/ignore.mrc')[24] != 0
vis = t & ~g
tr = raw24.copy()
tr[vis] = 0.4 * raw24[vis] + 0.6 * np.array((0, 220, 0), np.float32)
save(panel(tr.astype(np.uint8), 'exact visible membranes (simulation)'), 'annotate-truth.png')
