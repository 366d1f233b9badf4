#!/usr/bin/env python3
"""Whole messages at a small window size, read back from two screenshots of the same
project and selection (scripts/walkthrough.sh): SMALL.png (1024x700) and LARGE.png
(1920x1080, where the Message column has room for every message).

The applied rows are found by their State cell fill; the Message column starts where that
cell ends (the Revision and State columns are as wide at both sizes) and, in SMALL, ends at
the graph view's frame. Each applied row's message cell is reduced to its dark (text)
pixels and compared with the same width of LARGE: a message elided with "…" differs where
the wide window draws its last words. Exit 0 when all agree; prints what differs.
Usage: walkthrough-messages.py SMALL.png LARGE.png   (needs ImageMagick's convert)
"""
import subprocess, sys

APPLIED = (0xd8, 0xee, 0xdc)

def load(path):
    data = subprocess.run(["convert", path, "ppm:-"], stdout=subprocess.PIPE, check=True).stdout
    # P6\nW H\n255\n
    parts = data.split(b"\n", 3)
    w, h = map(int, parts[1].split())
    return w, h, parts[3]

def px(img, x, y):
    w, h, d = img
    i = (y * w + x) * 3
    return d[i], d[i + 1], d[i + 2]

def rows_and_columns(img):
    w, h, d = img
    xs = [x for x in range(0, w, 1) if any(px(img, x, y) == APPLIED for y in range(60, int(h * 0.6), 3))]
    if not xs:
        return None
    x0, x1 = min(xs), max(xs)
    col = x0 + 3
    runs, start = [], None
    for y in range(0, int(h * 0.7)):
        on = px(img, col, y) == APPLIED
        if on and start is None:
            start = y
        if not on and start is not None:
            runs.append((start, y))
            start = None
    rh = min(b - a for a, b in runs)
    rows = []
    for a, b in runs:
        n = max(1, round((b - a) / rh))
        rows += [(a + i * (b - a) // n, a + (i + 1) * (b - a) // n) for i in range(n)]
    # The view's right edge: the first vertical line of one non-white colour beside the rows.
    top, bottom = rows[0][0], rows[-1][1]
    right = w
    for x in range(x1 + 1, w):
        c = px(img, x, top)
        if c != (255, 255, 255) and all(px(img, x, y) == c for y in range(top, bottom)):
            right = x
            break
    return x1 + 1, right, rows

def mask(img, x0, x1, row):
    a, b = row
    out = []
    for y in range(a, b):
        for x in range(x0, x1):
            r, g, bl = px(img, x, y)
            out.append(1 if (r * 299 + g * 587 + bl * 114) // 1000 < 140 else 0)
    return out

small, large = load(sys.argv[1]), load(sys.argv[2])
s, l = rows_and_columns(small), rows_and_columns(large)
if not s or not l:
    print("no applied rows found"); sys.exit(2)
sx0, sx1, srows = s
lx0, lx1, lrows = l
width = sx1 - sx0 - 2
bad = []
for i, (sr, lr) in enumerate(zip(srows, lrows)):
    a = mask(small, sx0, sx0 + width, sr)
    b = mask(large, lx0, lx0 + width, (lr[0], lr[0] + sr[1] - sr[0]))
    diff = sum(1 for p, q in zip(a, b) if p != q)
    if diff > 4:
        bad.append("applied row %d (y %d): %d pixels differ" % (i + 1, sr[0], diff))
print("%d applied rows compared over the %d px Message column" % (len(srows), width))
for line in bad:
    print(line)
sys.exit(1 if bad else 0)
