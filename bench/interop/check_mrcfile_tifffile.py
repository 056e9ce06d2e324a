"""Checks files written by SxtSeg with the reference Python readers (not part of CI).

    apt-get install -y python3-mrcfile python3-tifffile
    dotnet run --project bench/SxtSeg.Bench -c Release -- io-interop /tmp/interop
    /usr/bin/python3 bench/interop/check_mrcfile_tifffile.py /tmp/interop
"""
import os, sys, warnings
import numpy as np, mrcfile, tifffile

d = sys.argv[1]
dtypes = {"uint8": np.uint8, "uint8-labels": np.uint8, "int8": np.int8, "int16": np.int16,
          "uint16": np.uint16, "uint32": np.uint32, "float32": np.float32, "float16": np.float16}
ok = True
for name, dt in dtypes.items():
    raw = np.fromfile(os.path.join(d, name + ".raw"), dtype=dt).reshape(5, 21, 33)
    mrc = os.path.join(d, name + ".mrc")
    if os.path.exists(mrc):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            valid = mrcfile.validate(mrc, print_file=open(os.devnull, "w"))
        with mrcfile.open(mrc, permissive=False) as m:
            data = m.data
            same_bytes = data.tobytes() == raw.tobytes()
            same_values = np.array_equal(data.astype(np.float64), raw.astype(np.float64))
            vs = m.voxel_size
            print(f"{name:13s} mrcfile: validate={valid} mode={int(m.header.mode)} dtype={data.dtype} "
                  f"bytes_equal={same_bytes} values_equal={same_values} voxel_size_A=({vs.x:.3f},{vs.y:.3f},{vs.z:.3f}) "
                  f"origin=({float(m.header.origin.x):.1f},{float(m.header.origin.y):.1f},{float(m.header.origin.z):.1f})")
            if not valid:
                ok = False
                mrcfile.validate(mrc)
            # uint8 data above 127 are written as mode 6 (uint16): the values, not the bytes, are kept
            ok &= same_bytes or (name == "uint8" and int(m.header.mode) == 6 and same_values)
    for tif in (name + ".tif", name + ".converted.tif"):
        p = os.path.join(d, tif)
        if not os.path.exists(p):
            continue
        with tifffile.TiffFile(p) as t:
            data = t.asarray()
            ij = t.imagej_metadata or {}
            xres = t.pages[0].tags["XResolution"].value
            same = np.array_equal(data.reshape(raw.shape).astype(np.float64), raw.astype(np.float64)) and (
                data.dtype == raw.dtype or tif == name + ".converted.tif")
            print(f"{'':13s} tifffile {tif}: imagej={t.is_imagej} dtype={data.dtype} shape={data.shape} equal={same} "
                  f"unit={ij.get('unit')} spacing={ij.get('spacing')} images={ij.get('images')} xres={xres[0]/xres[1]:.6f}/nm")
            ok &= same
print("ALL OK" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
