# "Corrected" annotations as a napari labels layer gives them (coding `painted`): 0 = not annotated,
# 1 = background, 2 = membrane, on 4 whole slices, from the simulation's exact labels; voxels of
# sim/ignore.mrc (membranes an x-y slice cannot show, and the band around them) are left 0, as a
# user leaves unpainted what the slice does not show.
# Also writes ignore-plus-annotated.mrc (ignore.mrc + the annotated slices), to score the other slices.
import mrcfile, numpy as np, tifffile

SLICES = (16, 20, 27, 31)
t = mrcfile.read('sim/membranes.mrc') != 0
with mrcfile.open('sim/ignore.mrc') as m:
    ignore = m.data.copy()
    voxel_size = m.voxel_size.copy()
g = ignore != 0
p = np.zeros(t.shape, np.uint8)
for z in SLICES:
    p[z] = np.where(t[z], 2, 1)
    p[z][g[z]] = 0
tifffile.imwrite('painted.tif', p)   # a plain uint8 stack without voxel size, as napari saves a labels layer
for z in SLICES:
    print(z, 'membrane', int((p[z] == 2).sum()), 'background', int((p[z] == 1).sum()), 'unpainted', int((p[z] == 0).sum()))

ignore[list(SLICES)] = 1
with mrcfile.new('ignore-plus-annotated.mrc', overwrite=True) as m:
    m.set_data(ignore.astype(np.int8))
    m.voxel_size = voxel_size
