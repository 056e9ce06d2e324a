"""Reads SxtSeg's outputs with the reference readers of the field and checks them.

    python3 check_outputs.py MANIFEST.json

The manifest (written by the C# test) lists files and what they must hold:
  mrc:  mrcfile.validate passes; shape, voxel size (A), origin (A) and values as expected
  tiff: tifffile reads shape, dtype and values; ImageJ unit nm, spacing and resolution match
  csv:  Python's csv module (as Excel, R read.csv, pandas read them): a plain header line first,
        no comment lines, every row as many fields as the header
  mesh: meshio reads it; triangle count, bounds (in the file's unit) and a closed surface
Prints one line per file and "ALL OK" or the problems; exit code 1 on any problem.
"""
import csv
import io
import json
import sys
import warnings

import numpy as np

problems = []


def problem(path, text):
    problems.append(f"{path}: {text}")


def check_mrc(e):
    import mrcfile
    path = e["path"]
    out = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        valid = mrcfile.validate(path, print_file=out)
    if not valid:
        problem(path, "mrcfile.validate failed: " + " | ".join(l.strip() for l in out.getvalue().splitlines() if l.strip()))
    with mrcfile.open(path, permissive=False) as m:
        data = m.data
        mode = int(m.header.mode)
        if list(data.shape) != e["shape"]:
            problem(path, f"shape {list(data.shape)}, expected {e['shape']}")
            return
        vs = m.voxel_size
        if e.get("voxel_size_A") is not None:
            got = [float(vs.x), float(vs.y), float(vs.z)]
            if not np.allclose(got, e["voxel_size_A"], rtol=1e-4):
                problem(path, f"voxel size {got} A, expected {e['voxel_size_A']}")
        org = [float(m.header.origin.x), float(m.header.origin.y), float(m.header.origin.z)]
        if not np.allclose(org, e["origin_A"], atol=1e-2):
            problem(path, f"origin {org} A, expected {e['origin_A']}")
        expected = np.fromfile(e["raw"], dtype="<f8").reshape(e["shape"])
        got = data.astype(np.float64)
        bad = np.abs(got - expected) > e.get("tolerance", 0)
        if bad.any():
            i = np.argwhere(bad)[0]
            problem(path, f"{int(bad.sum())} values differ, first at z,y,x={tuple(int(k) for k in i)}: mrcfile reads {got[tuple(i)]}, expected {expected[tuple(i)]} (mode {mode})")
        print(f"mrc   {path}: valid={valid} mode={mode} dtype={data.dtype} shape={list(data.shape)} voxel={float(vs.x):.3f} A")


def check_tiff(e):
    import tifffile
    path = e["path"]
    with tifffile.TiffFile(path) as t:
        data = t.asarray()
        ij = t.imagej_metadata or {}
        page = t.pages[0]
        xres = page.tags["XResolution"].value if "XResolution" in page.tags else None
    shape = e["shape"]
    if data.reshape(-1).size != int(np.prod(shape)):
        problem(path, f"{data.size} values, expected shape {shape}")
        return
    data = data.reshape(shape)
    if e.get("dtype") and str(data.dtype) != e["dtype"]:
        problem(path, f"dtype {data.dtype}, expected {e['dtype']}")
    expected = np.fromfile(e["raw"], dtype="<f8").reshape(shape)
    if (np.abs(data.astype(np.float64) - expected) > e.get("tolerance", 0)).any():
        problem(path, "values differ from what SxtSeg wrote")
    if e.get("voxel_size_nm") is not None:
        vx, vy, vz = e["voxel_size_nm"]
        if ij.get("unit") != "nm":
            problem(path, f"ImageJ unit {ij.get('unit')!r}, expected 'nm'")
        if xres is None or not np.isclose(xres[0] / xres[1], 1.0 / vx, rtol=1e-4):
            problem(path, f"XResolution {xres}, expected {1.0 / vx} pixels per nm")
        if shape[0] > 1 and not np.isclose(float(ij.get("spacing", -1)), vz, rtol=1e-4):
            problem(path, f"ImageJ spacing {ij.get('spacing')}, expected {vz} nm")
    print(f"tiff  {path}: dtype={data.dtype} shape={list(data.shape)} unit={ij.get('unit')} spacing={ij.get('spacing')}")


def check_csv(e):
    path = e["path"]
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows:
        problem(path, "empty")
        return
    head = rows[0]
    if head and head[0].startswith("#"):
        problem(path, "starts with a comment line (Excel and read.csv take it as the header)")
    if any(r and r[0].startswith("#") for r in rows):
        problem(path, "holds comment lines")
    if len(set(head)) != len(head) or any(h.strip() == "" for h in head):
        problem(path, f"header has empty or repeated column names: {head}")
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        problem(path, f"rows have {sorted(widths)} fields; the header has {len(head)}")
    for col in e.get("numeric", []):
        k = head.index(col)
        for r in rows[1:]:
            if r[k] != "":
                try:
                    float(r[k])
                except ValueError:
                    problem(path, f"column {col!r} holds {r[k]!r}, not a number")
                    break
    print(f"csv   {path}: {len(rows) - 1} rows x {len(head)} columns")


def check_mesh(e):
    import meshio
    path = e["path"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = meshio.read(path)
    tris = np.concatenate([c.data for c in m.cells if c.type == "triangle"]) if any(c.type == "triangle" for c in m.cells) else np.zeros((0, 3), int)
    pts = np.asarray(m.points, dtype=np.float64)[:, :3]  # OBJ vertex colours come as extra columns
    if len(tris) != e["triangles"]:
        problem(path, f"{len(tris)} triangles, expected {e['triangles']}")
    lo, hi = pts[tris.reshape(-1)].min(axis=0), pts[tris.reshape(-1)].max(axis=0)
    if not (np.allclose(lo, e["min"], rtol=1e-4, atol=1e-3) and np.allclose(hi, e["max"], rtol=1e-4, atol=1e-3)):
        problem(path, f"bounds {lo.tolist()}..{hi.tolist()}, expected {e['min']}..{e['max']}")
    if "inside_min" in e:
        if (lo < np.array(e["inside_min"]) - 1e-3).any() or (hi > np.array(e["inside_max"]) + 1e-3).any():
            problem(path, f"bounds {lo.tolist()}..{hi.tolist()} leave the volume {e['inside_min']}..{e['inside_max']}")
    # closed: every edge shared by exactly two triangles (vertices merged by position for STL)
    key = np.round(pts / max(1e-6, float(np.abs(pts).max()) * 1e-7)).astype(np.int64)
    _, ids = np.unique(key, axis=0, return_inverse=True)
    t = ids.reshape(-1)[tris]
    edges = np.sort(np.concatenate([t[:, [0, 1]], t[:, [1, 2]], t[:, [2, 0]]]), axis=1)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    closed = bool(len(counts) > 0 and (counts == 2).all())
    if e.get("closed", True) and not closed:
        problem(path, f"not closed: {int((counts != 2).sum())} edges not shared by two triangles")
    print(f"mesh  {path}: {len(pts)} points, {len(tris)} triangles, closed={closed}, bounds {np.round(lo, 1).tolist()}..{np.round(hi, 1).tolist()}")


def main():
    manifest = json.load(open(sys.argv[1]))
    for e in manifest["files"]:
        try:
            {"mrc": check_mrc, "tiff": check_tiff, "csv": check_csv, "mesh": check_mesh}[e["kind"]](e)
        except Exception as ex:  # a reader that cannot read the file at all
            problem(e["path"], f"{type(ex).__name__}: {ex}")
    if problems:
        print("PROBLEMS:")
        for p in problems:
            print("  " + p)
        return 1
    print(f"ALL OK ({len(manifest['files'])} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
