#!/usr/bin/env python3
"""Independent large-d Hessian reference generator for relucert.

Python 3 + mpmath only.  Nothing here is taken from the Rust crate: the
reduced loss of an arbitrary Young partition is written from docs/reduction.md, the
Hessian blocks follow the recipe of docs/components.md, and the second derivatives
are exact (forward-mode second-order Taylor jets with the analytic first and
second partials of the arc-cosine kernel), not finite differences.  All
directions (seed vectors) are exact integer vectors built with Python ints /
Fractions, so no product such as n(n-1) is ever rounded.

For the families I, II (partition [d-1, 1]) and IIsym (partition [d]) and
d in {1000, 1e7, 1e8, 1e9, 1e12} it writes tests/data/reference_large.json
with the critical point, loss, and every distinct Hessian eigenvalue of
every isotypic component (trivial, std, [n-2,2], [n-2,1,1]).

Self-checks (all asserted before the file is written):
  * kernel partials vs mpmath.diff;
  * general reduced loss vs tools/reference.py's dense loss (refined
    partitions, random points) and vs its reduced5/reduced2 (loss, grad);
  * jet gradient / Hessian vs mpmath.diff of the reduced loss;
  * closed-form dense Hessian (docs/loss.md) vs tools/reference.py's
    finite-difference dense Hessian;
  * d = 8, 9, 10 at each family point: the block eigenvalues, each repeated
    by its dimension, equal the dense d^2 x d^2 Hessian spectrum, and the
    dimensions (times copies) sum to d^2;
  * the two constructions of the [n-2,2] and [n-2,1,1] eigenvalues
    (explicit vectors of docs/components.md in a 4- resp. 3-singleton refinement, and the
    complement of the two (n-1,1) refinements inside the (n-2,1,1)
    refinement split by the p<->q swap) agree; the coarse Fix and its
    complement are Hessian-orthogonal in the (n-1,1) refinement; the
    spectrum of the coarse-Fix complement in the (n-2,1,1) refinement is
    std (twice) + [n-2,2] + [n-2,1,1];
  * every entry is computed twice, at dps(d) and dps(d) + EXTRA_DPS, each
    time with its own Newton solve; all eigenvalues and the loss must agree
    to 1e-60 relative (observed far better; see "accuracy");
  * the anchors of docs/families.md, the points of tests/data/reference.json, and
    the known II d = 1e9 [n-2,2] / [n-2,1,1] values.

Usage:  python3 tools/reference_large.py [--out PATH]
"""

import argparse
import json
import math
import os
import random
import sys
import time
from fractions import Fraction

import mpmath
from mpmath import mp, mpf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # do not leave tools/__pycache__ behind
import reference as ref  # noqa: E402  (our own independent dense tool)

TARGET_DS = [1000, 10**7, 10**8, 10**9, 10**12]
CHECK_DS = [8, 9, 10]
EXTRA_DPS = 50
OUT_DIGITS = 70
ACCURACY_REQUIRED = mpf(10) ** -60


def dps_for(d):
    """Working precision: 170 + 5 ceil(log10 d) digits (185 at d = 1e3,
    215 at d = 1e9, 230 at d = 1e12).  Terms of size d^2 cancel to O(1/d)
    and sin(angle) can be O(1/d), so about 5 log10 d digits are lost."""
    return 170 + 5 * max(1, math.ceil(math.log10(d) - 1e-12))


# --------------------------------------------------------------------------
# second-order Taylor jets in k variables
# --------------------------------------------------------------------------
#
# A jet represents f(theta + sum_i t_i u_i) to second order in t:
# value v, gradient g (k entries), Hessian h (upper triangle, row-major).

_IJ = {}


def ij_pairs(k):
    if k not in _IJ:
        _IJ[k] = [(i, j) for i in range(k) for j in range(i, k)]
    return _IJ[k]


class Jet:
    __slots__ = ("v", "g", "h")

    def __init__(self, v, g, h):
        self.v = v
        self.g = g
        self.h = h

    def __add__(self, o):
        return Jet(self.v + o.v, [x + y for x, y in zip(self.g, o.g)],
                   [x + y for x, y in zip(self.h, o.h)])

    def __sub__(self, o):
        return Jet(self.v - o.v, [x - y for x, y in zip(self.g, o.g)],
                   [x - y for x, y in zip(self.h, o.h)])

    def scale(self, c):
        return Jet(c * self.v, [c * x for x in self.g], [c * x for x in self.h])

    def __mul__(self, o):
        a, b = self.v, o.v
        ag, bg = self.g, o.g
        h = [a * hb + b * ha + ag[i] * bg[j] + ag[j] * bg[i]
             for (i, j), ha, hb in zip(ij_pairs(len(ag)), self.h, o.h)]
        return Jet(a * b, [a * y + b * x for x, y in zip(ag, bg)], h)

    def sq(self):
        return self * self


def jconst(c, k):
    return Jet(mpf(c), [mpf(0)] * k, [mpf(0)] * (k * (k + 1) // 2))


def jsum(js, k):
    out = jconst(0, k)
    for j in js:
        out = out + j
    return out


def kernel_partials(N, M, p):
    """F(N, M, p) = (s + (pi - t) p) / (2 pi), s = sqrt(NM - p^2),
    t = atan2(s, p), i.e. f(u, v) with N = |u|^2, M = |v|^2, p = u.v.
    Returns F, (F_N, F_M, F_p), (F_NN, F_MM, F_pp, F_NM, F_Np, F_Mp)."""
    q = N * M
    s2 = q - p * p
    if not s2 > 0:
        raise ValueError("kernel evaluated at parallel vectors")
    s = mp.sqrt(s2)
    t = mp.atan2(s, p)
    pi = mp.pi
    F = (s + (pi - t) * p) / (2 * pi)
    FN = s / (4 * pi * N)
    FM = s / (4 * pi * M)
    Fp = (pi - t) / (2 * pi)
    w = 2 * p * p - q
    FNN = w / (8 * pi * N * N * s)
    FMM = w / (8 * pi * M * M * s)
    Fpp = 1 / (2 * pi * s)
    FNM = 1 / (8 * pi * s)
    FNp = -p / (4 * pi * N * s)
    FMp = -p / (4 * pi * M * s)
    return F, (FN, FM, Fp), (FNN, FMM, Fpp, FNM, FNp, FMp)


def jF(Nj, Mj, pj):
    """Jet of F(N, M, p); Mj = None means M = 1 (a teacher vector)."""
    k = len(Nj.g)
    M = Mj.v if Mj is not None else mpf(1)
    F, (FN, FM, Fp), (FNN, FMM, Fpp, FNM, FNp, FMp) = \
        kernel_partials(Nj.v, M, pj.v)
    gN, gp = Nj.g, pj.g
    if Mj is None:
        g = [FN * x + Fp * y for x, y in zip(gN, gp)]
        h = [FN * hN + Fp * hp
             + FNN * gN[i] * gN[j] + Fpp * gp[i] * gp[j]
             + FNp * (gN[i] * gp[j] + gp[i] * gN[j])
             for (i, j), hN, hp in zip(ij_pairs(k), Nj.h, pj.h)]
        return Jet(F, g, h)
    gM = Mj.g
    g = [FN * x + FM * z + Fp * y for x, y, z in zip(gN, gp, gM)]
    h = [FN * hN + FM * hM + Fp * hp
         + FNN * gN[i] * gN[j] + FMM * gM[i] * gM[j] + Fpp * gp[i] * gp[j]
         + FNM * (gN[i] * gM[j] + gM[i] * gN[j])
         + FNp * (gN[i] * gp[j] + gp[i] * gN[j])
         + FMp * (gM[i] * gp[j] + gp[i] * gM[j])
         for (i, j), hN, hM, hp in zip(ij_pairs(k), Nj.h, Mj.h, pj.h)]
    return Jet(F, g, h)


# --------------------------------------------------------------------------
# Young fixed spaces and the general reduced loss (docs/reduction.md)
# --------------------------------------------------------------------------


class Space:
    """Fix(Delta(S_{n_1} x ... x S_{n_r})) for integer block sizes n_a.

    Parameters: ('D', a), ('O', a) if n_a >= 2, ('X', a, b) for a != b.
    Metric weights N_p (Python ints): n_a, n_a (n_a - 1), n_a n_b."""

    def __init__(self, sizes):
        self.sizes = [int(n) for n in sizes]
        assert all(n >= 1 for n in self.sizes)
        self.r = len(self.sizes)
        self.params = []
        for a, n in enumerate(self.sizes):
            self.params.append(("D", a))
            if n >= 2:
                self.params.append(("O", a))
        for a in range(self.r):
            for b in range(self.r):
                if a != b:
                    self.params.append(("X", a, b))
        self.index = {p: i for i, p in enumerate(self.params)}
        self.N = []
        for p in self.params:
            if p[0] == "D":
                self.N.append(self.sizes[p[1]])
            elif p[0] == "O":
                n = self.sizes[p[1]]
                self.N.append(n * (n - 1))
            else:
                self.N.append(self.sizes[p[1]] * self.sizes[p[2]])
        self.d = sum(self.sizes)

    def dim(self):
        return len(self.params)

    def gram(self, U, V=None):
        """Exact N-metric Gram matrix (Fractions) of integer vectors."""
        V = U if V is None else V
        return [[sum(Fraction(n * x * y) for n, x, y in zip(self.N, u, v))
                 for v in V] for u in U]


def reduced_jet(space, theta, dirs):
    """Jet of the reduced loss L(theta + sum_i t_i dirs[i]) on Fix(space).

    theta: list of mpf (one per parameter); dirs: list of integer/mpf
    vectors.  Straight from docs/reduction.md."""
    k = len(dirs)
    nh = k * (k + 1) // 2
    zero_h = [mpf(0)] * nh
    P = [Jet(mpf(theta[i]), [mpf(u[i]) for u in dirs], zero_h)
         for i in range(space.dim())]
    idx = space.index
    n = [mpf(x) for x in space.sizes]
    ni = space.sizes
    r = space.r

    def D(a):
        return P[idx[("D", a)]]

    def O(a):
        return P[idx[("O", a)]]

    def X(a, b):
        return P[idx[("X", a, b)]]

    # squared norms of the rows of block a, and the shared sum over b != a
    cross_sq = [jsum([X(a, b).sq().scale(n[b]) for b in range(r) if b != a], k)
                for a in range(r)]
    Nrm = []
    for a in range(r):
        t = D(a).sq() + cross_sq[a]
        if ni[a] >= 2:
            t = t + O(a).sq().scale(n[a] - 1)
        Nrm.append(t)
    terms = []
    for a in range(r):
        terms.append(Nrm[a].scale(n[a] / 4))
    # two distinct neurons of the same block
    for a in range(r):
        if ni[a] >= 2:
            p = (D(a) * O(a)).scale(mpf(2)) + O(a).sq().scale(n[a] - 2) \
                + cross_sq[a]
            terms.append(jF(Nrm[a], Nrm[a], p).scale(
                mpf(ni[a] * (ni[a] - 1) // 2)))
    # neurons of blocks a < b (the a != b double sum halved)
    for a in range(r):
        for b in range(a + 1, r):
            p = D(a) * X(b, a) + D(b) * X(a, b)
            if ni[a] >= 2:
                p = p + (O(a) * X(b, a)).scale(n[a] - 1)
            if ni[b] >= 2:
                p = p + (O(b) * X(a, b)).scale(n[b] - 1)
            for c in range(r):
                if c != a and c != b:
                    p = p + (X(a, c) * X(b, c)).scale(n[c])
            terms.append(jF(Nrm[a], Nrm[b], p).scale(mpf(ni[a] * ni[b])))
    # student-teacher
    for a in range(r):
        t = jF(Nrm[a], None, D(a))
        if ni[a] >= 2:
            t = t + jF(Nrm[a], None, O(a)).scale(n[a] - 1)
        for b in range(r):
            if b != a:
                t = t + jF(Nrm[a], None, X(a, b)).scale(n[b])
        terms.append(t.scale(-n[a]))
    dd = mpf(space.d)
    terms.append(jconst(dd / 4 + dd * (dd - 1) / (4 * mp.pi), k))
    return jsum(terms, k)


def reduced_loss(space, theta):
    return reduced_jet(space, theta, []).v


def jet_hessian(jet, k):
    H = mp.matrix(k, k)
    for (i, j), v in zip(ij_pairs(k), jet.h):
        H[i, j] = v
        H[j, i] = v
    return H


def embedding(coarse, fine, parent):
    """Columns (one per coarse parameter) of the exact 0/1 embedding
    Fix(coarse) -> Fix(fine) for a refinement; parent[a'] = coarse block of
    fine block a'.  D, O copy to each sub-block; O_a also to the new X's
    between sub-blocks of a."""
    for a in range(coarse.r):
        assert sum(fine.sizes[b] for b in range(fine.r) if parent[b] == a) \
            == coarse.sizes[a]
    cols = [[0] * fine.dim() for _ in range(coarse.dim())]
    for i, p in enumerate(fine.params):
        if p[0] == "D":
            src = ("D", parent[p[1]])
        elif p[0] == "O":
            src = ("O", parent[p[1]])
        else:
            A, B = parent[p[1]], parent[p[2]]
            src = ("X", A, B) if A != B else ("O", A)
        cols[coarse.index[src]][i] = 1
    return cols


def apply_embedding(cols, theta):
    n = len(cols[0])
    out = [mpf(0)] * n
    for c, t in zip(cols, theta):
        for i, e in enumerate(c):
            if e:
                out[i] = t  # each fine parameter copies exactly one coarse one
    return out


def n_complement(space, cols):
    """Exact integer basis of the N-orthogonal complement of span(cols)."""
    rows = [[Fraction(space.N[i] * c[i]) for i in range(space.dim())]
            for c in cols]
    n = space.dim()
    # reduced row echelon form
    piv = []
    R = [row[:] for row in rows]
    rk = 0
    for col in range(n):
        sel = None
        for i in range(rk, len(R)):
            if R[i][col] != 0:
                sel = i
                break
        if sel is None:
            continue
        R[rk], R[sel] = R[sel], R[rk]
        pv = R[rk][col]
        R[rk] = [x / pv for x in R[rk]]
        for i in range(len(R)):
            if i != rk and R[i][col] != 0:
                f = R[i][col]
                R[i] = [x - f * y for x, y in zip(R[i], R[rk])]
        piv.append(col)
        rk += 1
        if rk == len(R):
            break
    free = [c for c in range(n) if c not in piv]
    basis = []
    for fcol in free:
        v = [Fraction(0)] * n
        v[fcol] = Fraction(1)
        for i, pc in enumerate(piv):
            v[pc] = -R[i][fcol]
        den = 1
        for x in v:
            den = den * x.denominator // math.gcd(den, x.denominator)
        iv = [int(x * den) for x in v]
        g = 0
        for x in iv:
            g = math.gcd(g, abs(x))
        basis.append([x // g for x in iv])
    return basis


def block_swap(space, p, q):
    """Permutation of the parameters induced by swapping blocks p and q."""
    def sw(a):
        return q if a == p else p if a == q else a
    perm = []
    for par in space.params:
        if par[0] == "X":
            perm.append(space.index[("X", sw(par[1]), sw(par[2]))])
        else:
            perm.append(space.index[(par[0], sw(par[1]))])
    return perm


# --------------------------------------------------------------------------
# generalized symmetric eigenproblem Q v = lambda G v
# --------------------------------------------------------------------------


def to_mp_matrix(F):
    n = len(F)
    M = mp.matrix(n, n)
    for i in range(n):
        for j in range(n):
            x = F[i][j]
            M[i, j] = mpf(x.numerator) / x.denominator \
                if isinstance(x, Fraction) else x
    return M


def gen_eig(Q, G):
    n = Q.rows
    L = mp.cholesky(G)
    Li = mp.inverse(L)
    M = Li * Q * Li.T
    for i in range(n):
        for j in range(i + 1, n):
            m = (M[i, j] + M[j, i]) / 2
            M[i, j] = m
            M[j, i] = m
    ev = mp.eigsy(M, eigvals_only=True)
    return sorted(ev[i] for i in range(n))


# --------------------------------------------------------------------------
# the families, Newton, continuation
# --------------------------------------------------------------------------

FAM = {
    "I": {"names": ["a", "b", "c", "e", "f"], "anchor_d": 6,
          "anchor": ["0.98670381", "-0.05041340", "0.30801099",
                     "0.22451581", "-0.60151192"], "anchor_L": "0.0250805810"},
    "II": {"names": ["a", "b", "c", "e", "f"], "anchor_d": 10,
           "anchor": ["-0.77451034", "0.21786259", "-0.00787636",
                      "0.01940223", "1.06456357"], "anchor_L": "0.0720567070"},
    "IIsym": {"names": ["a", "b"], "anchor_d": 10,
              "anchor": ["-0.80030403", "0.19847652"],
              "anchor_L": "0.0766366620"},
}


def coarse_space(fam, d):
    return Space([d - 1, 1]) if fam != "IIsym" else Space([d])


def to_theta(fam, space, x):
    """(a,b,c,e,f) -> (D_1, O_1, X_12, X_21, D_2) in Space order; (a,b) ->
    (D_1, O_1)."""
    if fam == "IIsym":
        vals = {("D", 0): x[0], ("O", 0): x[1]}
    else:
        vals = {("D", 0): x[0], ("O", 0): x[1], ("X", 0, 1): x[2],
                ("X", 1, 0): x[3], ("D", 1): x[4]}
    return [mpf(vals[p]) for p in space.params]


def from_theta(fam, space, th):
    keys = [("D", 0), ("O", 0)] if fam == "IIsym" else \
        [("D", 0), ("O", 0), ("X", 0, 1), ("X", 1, 0), ("D", 1)]
    return [th[space.index[k]] for k in keys]


def scales(fam, d):
    return [mpf(1), mpf(d)] if fam == "IIsym" else \
        [mpf(1), mpf(d), mpf(d), mpf(d), mpf(1)]


def newton(fam, d, x0, dps, maxit=40):
    """Newton on the exact (jet) reduced gradient and Hessian at precision
    dps.  Returns x and the sequence of relative step sizes."""
    with mp.workdps(dps):
        S = coarse_space(fam, d)
        k = S.dim()
        eye = [[1 if i == j else 0 for j in range(k)] for i in range(k)]
        th = to_theta(fam, S, [mpf(t) for t in x0])
        cancel = 5 * math.log10(d) + 15
        tol = mpf(10) ** (-(dps - cancel))
        steps = []
        for _ in range(maxit):
            J = reduced_jet(S, th, eye)
            H = jet_hessian(J, k)
            step = mp.lu_solve(H, mp.matrix([-g for g in J.g]))
            th = [th[i] + step[i] for i in range(k)]
            ss = max(abs(step[i]) / max(mpf(1) / d, abs(th[i]))
                     for i in range(k))
            steps.append(ss)
            if ss < tol:
                break
            if len(steps) >= 3 and ss < mpf(10) ** (-dps // 2) \
                    and ss > steps[-2] / 10:
                break  # rounding floor
        else:
            raise RuntimeError(f"Newton did not converge: {fam} d={d}")
        return from_theta(fam, S, th), steps


def continuation(fam, targets, log):
    """From docs/ anchor, continue in d (geometric steps, ratio
    10^(1/4), scaled variables as predictor) through all targets, at a low
    working precision.  Returns {d: x} (about 35 correct digits)."""
    F = FAM[fam]
    d0 = F["anchor_d"]

    def cdps(d):
        return 50 + 5 * max(1, math.ceil(math.log10(d)))

    x, _ = newton(fam, d0, F["anchor"], cdps(d0))
    with mp.workdps(cdps(d0)):
        L0 = reduced_loss(coarse_space(fam, d0), to_theta(fam, coarse_space(fam, d0), x))
        for k, name in enumerate(F["names"]):
            assert abs(x[k] - mpf(F["anchor"][k])) < mpf("1e-8"), (fam, name)
        assert abs(L0 - mpf(F["anchor_L"])) < mpf("1e-10"), (fam, L0)
    log(f"  anchor {fam} d={d0}: matches docs/families.md (8 digits, loss 10)")
    sols = {d0: x}
    up = sorted(t for t in targets if t > d0)
    down = sorted((t for t in targets if t < d0), reverse=True)
    for seq in (up, down):
        cur, xc = d0, x
        for tgt in seq:
            while cur != tgt:
                if tgt > cur:
                    nxt = min(tgt, max(cur + 1, int(round(cur * 10 ** 0.25))))
                else:
                    nxt = max(tgt, cur - 1)
                so, sn = scales(fam, cur), scales(fam, nxt)
                guess = [xc[i] * so[i] / sn[i] for i in range(len(xc))]
                xn, _ = newton(fam, nxt, guess, cdps(nxt))
                jump = max(abs(xn[i] * sn[i] - xc[i] * so[i])
                           for i in range(len(xc)))
                assert jump < mpf("0.5"), (fam, nxt, jump)
                cur, xc = nxt, xn
            sols[tgt] = xc
    return sols


# --------------------------------------------------------------------------
# the Hessian blocks at a point
# --------------------------------------------------------------------------


def singleton_refinement(coarse, nsing):
    """Split nsing singletons off block 0 (the block carrying the
    components).  Fine blocks: 0 = rest of block 0, 1..nsing = singletons,
    then the remaining coarse blocks."""
    sizes = [coarse.sizes[0] - nsing] + [1] * nsing + coarse.sizes[1:]
    parent = [0] * (1 + nsing) + list(range(1, coarse.r))
    return Space(sizes), parent


def rayleigh(space, theta, v):
    J = reduced_jet(space, theta, [v])
    Gv = space.gram([v])[0][0]
    return J.h[0] / (mpf(Gv.numerator) / Gv.denominator)


def blocks(fam, d, x, dps):
    """All components at the point x of family fam.  Returns (components,
    checks) where checks holds the internal cross-check discrepancies."""
    with mp.workdps(dps):
        S = coarse_space(fam, d)
        th = to_theta(fam, S, x)
        k0 = S.dim()
        n = S.sizes[0]  # the block carrying std, [n-2,2], [n-2,1,1]
        checks = {}
        eye = [[1 if i == j else 0 for j in range(k0)] for i in range(k0)]
        J0 = reduced_jet(S, th, eye)
        Hc = jet_hessian(J0, k0)
        Gc = to_mp_matrix(S.gram(eye))
        triv = gen_eig(Hc, Gc)
        loss = J0.v
        gnorm = mp.sqrt(mp.fsum(g * g / Nw for g, Nw in zip(J0.g, S.N)))

        # std: refine block 0 into (n-1, 1)
        F1, par1 = singleton_refinement(S, 1)
        E = embedding(S, F1, par1)
        C = n_complement(F1, E)
        assert len(C) == F1.dim() - k0 == (2 * S.r + 1), len(C)
        th1 = apply_embedding(E, th)
        J1 = reduced_jet(F1, th1, E + C)
        H1 = jet_hessian(J1, len(E) + len(C))
        G1 = F1.gram(E + C)
        kE, kC = len(E), len(C)
        # the embedding is N-isometric and the complement N-orthogonal
        Gc_exact = S.gram(eye)
        for i in range(kE):
            for j in range(kE):
                assert G1[i][j] == Gc_exact[i][j]
            for j in range(kC):
                assert G1[i][kE + j] == 0
        Hstd = mp.matrix(kC, kC)
        for i in range(kC):
            for j in range(kC):
                Hstd[i, j] = H1[kE + i, kE + j]
        Gstd = to_mp_matrix([row[kE:] for row in G1[kE:]])
        std = gen_eig(Hstd, Gstd)
        # Hessian-orthogonality of coarse Fix and complement (normalised)
        off = mpf(0)
        for i in range(kE):
            for j in range(kC):
                sc = mp.sqrt(abs(H1[i, i] * H1[kE + j, kE + j]))
                off = max(off, abs(H1[i, kE + j]) / sc)
        checks["std_offdiag"] = off
        # the embedded coarse Hessian equals the coarse one
        tr = mpf(0)
        for i in range(kE):
            for j in range(kE):
                tr = max(tr, abs(H1[i, j] - Hc[i, j])
                         / mp.sqrt(abs(Hc[i, i] * Hc[j, j])))
        checks["embed_hessian"] = tr

        # [n-2,2] and [n-2,1,1] from the explicit vectors of docs/components.md
        F4, par4 = singleton_refinement(S, 4)
        th4 = apply_embedding(embedding(S, F4, par4), th)
        v22 = [0] * F4.dim()
        for (i, j, s) in [(1, 2, 1), (2, 1, 1), (3, 4, 1), (4, 3, 1),
                          (1, 3, -1), (3, 1, -1), (2, 4, -1), (4, 2, -1)]:
            v22[F4.index[("X", i, j)]] = s
        lam22 = rayleigh(F4, th4, v22)
        F3, par3 = singleton_refinement(S, 3)
        th3 = apply_embedding(embedding(S, F3, par3), th)
        v211 = [0] * F3.dim()
        for (i, j, s) in [(1, 2, 1), (2, 1, -1), (2, 3, 1), (3, 2, -1),
                          (3, 1, 1), (1, 3, -1)]:
            v211[F3.index[("X", i, j)]] = s
        lam211 = rayleigh(F3, th3, v211)

        # the same two eigenvalues from the (n-2,1,1) refinement: complement
        # of the two (n-1,1) refinements, split by the swap of p and q
        F2, par2 = singleton_refinement(S, 2)
        th2 = apply_embedding(embedding(S, F2, par2), th)
        Ep = embedding(F1, F2, [0, 1, 0] + [2 + i for i in range(S.r - 1)])
        Eq = embedding(F1, F2, [0, 0, 1] + [2 + i for i in range(S.r - 1)])
        C2 = n_complement(F2, Ep + Eq)
        assert len(C2) == 2, len(C2)
        perm = block_swap(F2, 1, 2)
        sym, anti = None, None
        for v in C2:
            sv = [v[perm[i]] for i in range(F2.dim())]
            plus = [a + b for a, b in zip(v, sv)]
            minus = [a - b for a, b in zip(v, sv)]
            if sym is None and any(plus):
                sym = plus
            if anti is None and any(minus):
                anti = minus
        lam22b = rayleigh(F2, th2, sym)
        lam211b = rayleigh(F2, th2, anti)
        checks["n-2,2 two constructions"] = abs(lam22 - lam22b) / abs(lam22)
        checks["n-2,1,1 two constructions"] = \
            abs(lam211 - lam211b) / abs(lam211)

        # std once more, from a different subspace: the complement of the
        # coarse Fix in the (n-2,1,1) refinement holds two lines of every
        # std copy plus one [n-2,2] and one [n-2,1,1] line, so its spectrum
        # is std (each twice) + the two 1x1 blocks.
        E2 = embedding(S, F2, par2)
        C12 = n_complement(F2, E2)
        assert len(C12) == 2 * len(C) + 2, len(C12)
        J12 = reduced_jet(F2, th2, C12)
        ev12 = gen_eig(jet_hessian(J12, len(C12)), to_mp_matrix(F2.gram(C12)))
        want = sorted(std + std + [lam22, lam211])
        checks["std via (n-2,1,1)"] = max(abs(p - q) / abs(q)
                                          for p, q in zip(ev12, want))

        comps = [
            {"kind": "trivial", "block": None, "dimension": 1,
             "eigenvalues": triv},
            {"kind": "std", "block": 1, "dimension": n - 1,
             "eigenvalues": std},
            {"kind": "n-2,2", "block": 1, "dimension": n * (n - 3) // 2,
             "eigenvalues": [lam22]},
            {"kind": "n-2,1,1", "block": 1,
             "dimension": (n - 1) * (n - 2) // 2, "eigenvalues": [lam211]},
        ]
        total = sum(c["dimension"] * len(c["eigenvalues"]) for c in comps)
        assert total == d * d, (fam, d, total)
        return {"loss": loss, "gnorm": gnorm, "components": comps,
                "checks": checks}


# --------------------------------------------------------------------------
# dense closed-form Hessian (docs/loss.md) for the small-d check
# --------------------------------------------------------------------------


def dense_hessian_closed(W):
    d = len(W)
    pi = mp.pi
    eye = [[mpf(1) if i == j else mpf(0) for j in range(d)] for i in range(d)]

    def norm(u):
        return mp.sqrt(ref.dot(u, u))

    def geom(w, u):
        nw, nu = norm(w), norm(u)
        wb = [x / nw for x in w]
        ub = [x / nu for x in u]
        c = ref.dot(wb, ub)
        s = mp.sqrt(1 - c * c)
        t = mp.atan2(s, c)
        nv = [(x - c * y) / s for x, y in zip(ub, wb)]
        mv = [(y - c * x) / s for x, y in zip(ub, wb)]
        return nw, nu, wb, ub, c, s, t, nv, mv

    def A(w, u):
        nw, nu, wb, ub, c, s, t, nv, mv = geom(w, u)
        f = s * nu / (2 * pi * nw)
        return [[f * (eye[k][l] - wb[k] * wb[l] + nv[k] * nv[l])
                 for l in range(d)] for k in range(d)]

    def B(w, u):
        nw, nu, wb, ub, c, s, t, nv, mv = geom(w, u)
        return [[((pi - t) * eye[k][l] + mv[k] * ub[l] + nv[k] * wb[l])
                 / (2 * pi) for l in range(d)] for k in range(d)]

    H = mp.matrix(d * d, d * d)
    for i in range(d):
        acc = [[eye[k][l] / 2 for l in range(d)] for k in range(d)]
        for j in range(d):
            if j != i:
                Aij = A(W[i], W[j])
                acc = [[x + y for x, y in zip(r1, r2)] for r1, r2 in zip(acc, Aij)]
            Aie = A(W[i], eye[j])
            acc = [[x - y for x, y in zip(r1, r2)] for r1, r2 in zip(acc, Aie)]
        for k in range(d):
            for l in range(d):
                H[i * d + k, i * d + l] = acc[k][l]
        for j in range(d):
            if j != i:
                Bij = B(W[i], W[j])
                for k in range(d):
                    for l in range(d):
                        H[i * d + k, j * d + l] = Bij[k][l]
    return H


def dense_W(fam, d, x):
    return ref.W2(d, *x) if fam == "IIsym" else ref.W5(d, *x)


def dense_check(fam, d, x, log, refspec=None):
    """Block eigenvalues x dimensions == dense d^2 x d^2 spectrum (and, if
    given, == the 25-digit spectrum of tests/data/reference.json)."""
    res = blocks(fam, d, x, 60)
    with mp.workdps(60):
        W = dense_W(fam, d, [mpf(t) for t in x])
        G = ref.dense_grad(W)
        gmax = max(abs(t) for row in G for t in row)
        assert gmax < mpf(10) ** -40, (fam, d, gmax)
        Ld = ref.dense_loss(W)
        assert abs(Ld - res["loss"]) < mpf(10) ** -50, (fam, d)
        H = dense_hessian_closed(W)
        asym = max(abs(H[i, j] - H[j, i]) for i in range(d * d)
                   for j in range(i + 1, d * d))
        assert asym < mpf(10) ** -50, asym
    with mp.workdps(40):
        Hm = mp.matrix(d * d, d * d)
        for i in range(d * d):
            for j in range(d * d):
                Hm[i, j] = +H[i, j]
        ev = mp.eigsy(Hm, eigvals_only=True)
        dense = sorted(ev[i] for i in range(d * d))
        blk = []
        for c in res["components"]:
            for lam in c["eigenvalues"]:
                blk += [+lam] * c["dimension"]
        blk.sort()
        assert len(blk) == d * d
        radius = max(abs(t) for t in dense)
        err = max(abs(p - q) for p, q in zip(dense, blk)) / radius
        assert err < mpf(10) ** -30, (fam, d, err)
        extra = ""
        if refspec is not None:
            distinct = []
            for v in blk:
                if distinct and abs(v - distinct[-1][0]) < mpf(10) ** -20:
                    distinct[-1][1] += 1
                else:
                    distinct.append([v, 1])
            assert len(distinct) == len(refspec), (fam, d)
            for (v, m), e in zip(distinct, refspec):
                assert m == e["multiplicity"], (fam, d, m, e)
                assert abs(v - mpf(e["value"])) < mpf(10) ** -22 * max(1, abs(v))
            extra = ", == reference.json spectrum"
    log(f"  dense check {fam} d={d}: {d*d}x{d*d} spectrum == blocks "
        f"(max rel diff {mpmath.nstr(err, 3)}, dense |grad| "
        f"{mpmath.nstr(gmax, 3)}){extra}")
    return err


# --------------------------------------------------------------------------
# self checks of the building blocks
# --------------------------------------------------------------------------


def random_theta(rng, space, scale="0.4"):
    th = []
    for p in space.params:
        if p[0] == "D":
            th.append(mpf(rng.randint(5 * 10**5, 15 * 10**5)) / 10**6
                      * (1 if rng.random() < 0.5 else -1))
        else:
            th.append(mpf(rng.randint(-10**6, 10**6)) / 10**6 * mpf(scale))
    return th


def dense_from_space(space, theta):
    """The d x d matrix of a point of Fix(space); blocks laid out
    consecutively."""
    blk = []
    for a, n in enumerate(space.sizes):
        blk += [a] * n
    d = len(blk)
    W = [[None] * d for _ in range(d)]
    for i in range(d):
        for j in range(d):
            a, b = blk[i], blk[j]
            if a != b:
                key = ("X", a, b)
            elif i == j:
                key = ("D", a)
            else:
                key = ("O", a)
            W[i][j] = theta[space.index[key]]
    return W


def self_checks(log):
    rng = random.Random(20250101)
    with mp.workdps(60):
        # kernel partials vs mpmath.diff
        N0, M0, p0 = mpf("1.3"), mpf("0.7"), mpf("0.4")
        F, d1, d2 = kernel_partials(N0, M0, p0)
        Ff = lambda N, M, p: kernel_partials(N, M, p)[0]  # noqa: E731
        orders = [(1, 0, 0), (0, 1, 0), (0, 0, 1)]
        for o, v in zip(orders, d1):
            assert abs(mp.diff(Ff, (N0, M0, p0), o) - v) < mpf(10) ** -40
        orders2 = [(2, 0, 0), (0, 2, 0), (0, 0, 2), (1, 1, 0), (1, 0, 1),
                   (0, 1, 1)]
        for o, v in zip(orders2, d2):
            assert abs(mp.diff(Ff, (N0, M0, p0), o) - v) < mpf(10) ** -35
        log("check: kernel first/second partials == mpmath.diff")
        # general reduced loss vs dense loss on refined partitions
        worst = mpf(0)
        for sizes in ([3, 1, 2], [2, 1, 1, 3], [4], [3, 1], [1, 1, 1, 2, 1],
                      [2, 2, 2], [5, 1, 1]):
            S = Space(sizes)
            for _ in range(2):
                th = random_theta(rng, S)
                Lr = reduced_loss(S, th)
                Ld = ref.dense_loss(dense_from_space(S, th))
                rel = abs(Lr - Ld) / abs(Ld)
                worst = max(worst, rel)
                assert rel < mpf(10) ** -50, (sizes, rel)
        log(f"check: general reduced loss == dense loss (7 partitions, d<=7, "
            f"max rel {mpmath.nstr(worst, 3)})")
        # vs reference.py's reduced5 / reduced2, loss and gradient
        for d in (7, 10, 1000, 10**9):
            for fam in ("II", "IIsym"):
                S = coarse_space(fam, d)
                k = S.dim()
                x = [mpf(rng.randint(-10**6, 10**6)) / 10**6 for _ in range(k)]
                x[0] = mpf("0.9")
                if fam != "IIsym":
                    x[4] = mpf("-0.8")
                for i in range(1, k - (0 if fam == "IIsym" else 1)):
                    x[i] = x[i] * 3 / d
                eye = [[1 if i == j else 0 for j in range(k)] for i in range(k)]
                with mp.workdps(60 + 6 * len(str(d))):
                    J = reduced_jet(S, to_theta(fam, S, x), eye)
                    Lr, gr = (ref.reduced2 if fam == "IIsym" else ref.reduced5)(d, x)
                    gj = from_theta(fam, S, J.g)
                    assert abs(J.v - Lr) < mpf(10) ** -40 * abs(Lr), (fam, d)
                    for a, b in zip(gj, gr):
                        assert abs(a - b) < mpf(10) ** -40 * max(1, abs(b))
        log("check: general reduced loss/gradient == reference.py reduced5/"
            "reduced2 (d = 7, 10, 1e3, 1e9)")
        # jet gradient and Hessian vs mpmath.diff along random directions
        S = Space([3, 1, 1, 2])
        th = random_theta(rng, S)
        u = [rng.randint(-3, 3) for _ in range(S.dim())]
        w = [rng.randint(-3, 3) for _ in range(S.dim())]
        J = reduced_jet(S, th, [u, w])

        def Lt(s, t):
            return reduced_loss(S, [a + s * b + t * c for a, b, c in zip(th, u, w)])
        z = mpf(0)
        assert abs(mp.diff(Lt, (z, z), (1, 0)) - J.g[0]) < mpf(10) ** -35
        assert abs(mp.diff(Lt, (z, z), (0, 1)) - J.g[1]) < mpf(10) ** -35
        assert abs(mp.diff(Lt, (z, z), (2, 0)) - J.h[0]) < mpf(10) ** -30
        assert abs(mp.diff(Lt, (z, z), (1, 1)) - J.h[1]) < mpf(10) ** -30
        assert abs(mp.diff(Lt, (z, z), (0, 2)) - J.h[2]) < mpf(10) ** -30
        log("check: jet gradient/Hessian == mpmath.diff of the reduced loss")
    # closed-form dense Hessian vs reference.py finite differences
    with mp.workdps(100):
        x = [mpf("0.9"), mpf("-0.07"), mpf("0.3"), mpf("0.2"), mpf("-0.6")]
        W = ref.W5(5, *x)
        Hc = dense_hessian_closed(W)
        Hf, _ = ref.dense_hessian(W, mpf(10) ** -33)
        err = max(abs(Hc[i, j] - Hf[i, j]) for i in range(25) for j in range(25))
        assert err < mpf(10) ** -60, err
    log(f"check: closed-form dense Hessian == reference.py finite-difference "
        f"Hessian (d=5, max abs diff {mpmath.nstr(err, 3)})")


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

KNOWN_II_1E9 = {
    "n-2,2": ("0.40914487756778492919549160818795970448195", mpf(10) ** -40),
    "n-2,1,1": ("0.0908349913839942567324796882874287089811", mpf(10) ** -38),
}


def fmt(x, n=OUT_DIGITS):
    return mpmath.nstr(mpf(x), n, strip_zeros=False)


def rel(x, y):
    if x == y:
        return mpf(0)
    return abs(x - y) / max(abs(x), abs(y))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(
        HERE, "..", "tests", "data", "reference_large.json"))
    args = ap.parse_args()
    t0 = time.time()

    def log(msg):
        print(f"[{time.time() - t0:6.1f}s] {msg}", flush=True)

    self_checks(log)

    # reference.json points (40 digits) to compare with
    refpts, refspec = {}, {}
    refjson = os.path.join(HERE, "..", "tests", "data", "reference.json")
    if os.path.exists(refjson):
        with open(refjson) as fh:
            rj = json.load(fh)
        for p in rj["points"]:
            refpts[(p["family"], int(p["d"]))] = p
        for sp in rj["spectra"]:
            refspec[(sp["family"], int(sp["d"]))] = sp["eigenvalues"]
    else:
        log("note: tests/data/reference.json not found, skipping comparisons")

    entries = []
    worst_acc = mpf(0)
    for fam in ("I", "II", "IIsym"):
        t1 = time.time()
        sols = continuation(fam, sorted(set(CHECK_DS + TARGET_DS)), log)
        log(f"  continuation {fam}: done ({time.time() - t1:.1f}s)")
        for d in CHECK_DS:
            x, _ = newton(fam, d, sols[d], 80)
            dense_check(fam, d, x, log, refspec.get((fam, d)))
        for d in TARGET_DS:
            t2 = time.time()
            dps = dps_for(d)
            runs = []
            for wd in (dps, dps + EXTRA_DPS):
                x, steps = newton(fam, d, sols[d], wd)
                runs.append((x, blocks(fam, d, x, wd), steps))
            (x, res, steps), (x2, res2, _) = runs
            with mp.workdps(dps + EXTRA_DPS):
                acc = rel(res["loss"], res2["loss"])
                for c, c2 in zip(res["components"], res2["components"]):
                    for lam, lam2 in zip(c["eigenvalues"], c2["eigenvalues"]):
                        acc = max(acc, rel(lam, lam2))
                # coordinates: absolute agreement of the scaled coordinates
                sc = scales(fam, d)
                pt = max(abs(a - b) * s for a, b, s in zip(x, x2, sc))
                assert pt < mpf(10) ** -(dps - 5 * math.log10(d) - 20), pt
                for key, v in res["checks"].items():
                    assert v < mpf(10) ** -(dps - 5 * math.log10(d) - 30), \
                        (fam, d, key, v)
                cross = max(res["checks"].values())
                accuracy = max(acc, cross)
                assert accuracy < ACCURACY_REQUIRED, (fam, d, accuracy)
                worst_acc = max(worst_acc, accuracy)
                # the reduced Newton point is also a critical point in the
                # Frobenius sense: |grad L|_F
                assert res["gnorm"] < mpf(10) ** -(dps - 5 * math.log10(d) - 20)
                if (fam, d) in refpts:
                    rp = refpts[(fam, d)]
                    for name, v in zip(FAM[fam]["names"], x):
                        assert abs(mpf(rp["coordinates"][name]) - v) \
                            < mpf(10) ** -38 * max(abs(v), 1 / mpf(d)), (fam, d)
                    assert rel(mpf(rp["loss"]), res["loss"]) < mpf(10) ** -38
                    log(f"  {fam} d={d}: point and loss == reference.json "
                        f"(40 digits)")
                if fam == "II" and d == 10**9:
                    for c in res["components"]:
                        if c["kind"] in KNOWN_II_1E9:
                            s, tol = KNOWN_II_1E9[c["kind"]]
                            assert abs(c["eigenvalues"][0] - mpf(s)) < tol, \
                                (c["kind"], c["eigenvalues"][0])
                    log("  II d=1e9: [n-2,2] and [n-2,1,1] match the known "
                        "independent values")
                comps = []
                for c in res["components"]:
                    comps.append({
                        "kind": c["kind"], "block": c["block"],
                        "dimension": str(c["dimension"]),
                        "eigenvalues": [fmt(v) for v in c["eigenvalues"]]})
                S = coarse_space(fam, d)
                entries.append({
                    "family": fam, "d": str(d),
                    "partition": [str(n) for n in S.sizes],
                    "dps": dps,
                    "point": {nm: fmt(v) for nm, v in zip(FAM[fam]["names"], x)},
                    "gradient_norm": fmt(res["gnorm"], 5),
                    "loss": fmt(res["loss"]),
                    "accuracy": fmt(accuracy, 3),
                    "components": comps,
                })
            summ = {c["kind"]: c["eigenvalues"] for c in res["components"]}
            log(f"  {fam} d={d:.0e} dps {dps}/{dps + EXTRA_DPS}: "
                f"{len(steps)} Newton steps, |grad|_F {fmt(res['gnorm'], 3)}, "
                f"point agreement {fmt(pt, 3)}, "
                f"accuracy {fmt(accuracy, 3)}, L = {fmt(res['loss'], 20)}, "
                f"min std {fmt(summ['std'][0], 12)}, "
                f"n-2,2 {fmt(summ['n-2,2'][0], 12)}, "
                f"n-2,1,1 {fmt(summ['n-2,1,1'][0], 12)} "
                f"({time.time() - t2:.1f}s)")

    out = {
        "generator": "tools/reference_large.py",
        "dps": min(e["dps"] for e in entries),
        "entries": entries,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")
    log(f"worst accuracy over all entries: {fmt(worst_acc, 3)} "
        f"(required < {fmt(ACCURACY_REQUIRED, 1)})")
    log(f"wrote {os.path.abspath(args.out)} ({len(entries)} entries, "
        f"total {time.time() - t0:.1f}s)")


if __name__ == "__main__":
    main()
