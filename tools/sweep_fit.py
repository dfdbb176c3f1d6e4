#!/usr/bin/env python3
"""Fits quoted in the README's sweep section (approximate: least squares on f64 midpoints).

Reads the JSON of `relucert arcs --sweep --json` on stdin and fits, for each family and
for distance and barrier of its minimizing arc, y = A - c * d^(-alpha) to the certified
rows with d >= DMIN (default 95 and 209): alpha on a grid of step 5e-4 over (0.05, 3),
A and c by linear least squares at each alpha. Prints A, c, alpha and the rms residual.
Python standard library only.

    relucert arcs --sweep --d 7..1000:log:20 --json | python3 tools/sweep_fit.py
"""
import json
import math
import sys


def mid(e):
    return (float(e["lo"]) + float(e["hi"])) / 2


def fit(pts, amin=0.05, amax=3.0, n=5900):
    best = None
    for k in range(1, n):
        al = amin + (amax - amin) * k / n
        xs = [d ** -al for d, _ in pts]
        ys = [y for _, y in pts]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
        slope = sxy / sxx
        a = my - slope * mx
        sse = sum((y - (a + slope * x)) ** 2 for x, y in zip(xs, ys))
        if best is None or sse < best[0]:
            best = (sse, al, a, -slope)
    return best


def main():
    v = json.load(sys.stdin)
    dmins = [int(x) for x in sys.argv[1:]] or [95, 209]
    print("family quantity  range        n  A (fit)    c (fit)    alpha (fit)  rms")
    for fam in v["families"]:
        rows = [r for r in v["rows"] if r["family"] == fam and r["certified"]]
        for key in ["distance", "barrier"]:
            s = [(r["d"], mid(r["arcs"][0][key])) for r in rows]
            for dmin in dmins:
                pts = [p for p in s if p[0] >= dmin]
                if len(pts) < 4:
                    continue
                sse, al, a, c = fit(pts)
                rng = f"{pts[0][0]}..{pts[-1][0]}"
                print(f"{fam:6} {key:9} {rng:12} {len(pts):2}  {a:.6g}  {c:+.4g}  {al:.3f}        {math.sqrt(sse / len(pts)):.1e}")


if __name__ == "__main__":
    main()
