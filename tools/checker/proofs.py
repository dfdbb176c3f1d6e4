"""What the checker proves: Krawczyk boxes, the isotypic blocks of the Hessian (docs/
section 4) built from exact line vectors, their spectra, and the tangency system
(docs/arcs.md).  Every enclosure is an Arb ball containing the exact quantity."""
from flint import arb, arb_mat, arb_series

from linalg import eigenvalues, inertia, lo, nullspace, orthogonal_integer_basis, \
    positive_definite, to_arb
from model import NonSmooth, coarse_param, dense_all, dense_matrix, embedding, \
    loss_derivatives, loss_value, split


class Failure(Exception):
    """A claim that is refuted or not re-proved: (claim, message)."""


def column(xs):
    return arb_mat(len(xs), 1, list(xs))


def identity(n):
    return arb_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])


def krawczyk(claim, center, radius, system):
    """Exactly one zero of F in the box B = {|x_i - center_i| <= radius} (exact rationals)
    if K = x~ - Y F(x~) + (I - Y J(X)) (X - x~) lies in the interior of B, where X is a
    ball enclosure of B, J(X) encloses the Jacobian over X and Y is any matrix (here an
    approximate inverse of the midpoint of J(X)).  system(x~, X) -> (F(x~) list, J(X)).
    Returns K intersected with X (it contains the zero) and the by-products of system."""
    lo_b = [to_arb(c - radius) for c in center]
    hi_b = [to_arb(c + radius) for c in center]
    xc = [to_arb(c) for c in center]
    X = [a.union(b) for a, b in zip(lo_b, hi_b)]
    F, J, extra = system(xc, X)
    n = len(xc)
    try:
        Y = J.mid().inv().mid()
    except ZeroDivisionError:
        raise Failure(claim, "not re-proved: the Jacobian is singular at its midpoint")
    K = column(xc) - Y * column(F) + (identity(n) - Y * J) * column([x - c for x, c in zip(X, xc)])
    for i in range(n):
        if not (K[i, 0].lower() > lo_b[i] and K[i, 0].upper() < hi_b[i]):
            raise Failure(claim, f"not re-proved: Krawczyk K(X) is not inside the box "
                                 f"(coordinate {i})")
    return [K[i, 0].intersection(X[i]) for i in range(n)], xc, X, extra


def taylor2(L0, g0, H, delta):
    """L(x~ + delta) for delta in the balls: L0 + g0.delta + 1/2 delta^T H delta, with H
    enclosing the Hessian on a convex set containing the segment (Lagrange remainder)."""
    dv = column(delta)
    return L0 + (column(g0).transpose() * dv)[0, 0] + (dv.transpose() * H * dv)[0, 0] / 2


# ---------------------------------------------------------------------------- components

def component_list(part):
    """(kind, blocks, dimension, copies) of the isotypic components at Young isotropy
    (docs/components.md table), in relucert's order; exact integers."""
    n, r = part.sizes, part.r
    out = [('trivial', (), 1, part.dim)]
    for a in range(r):
        if n[a] >= 2:
            out.append(('std', (a,), n[a] - 1, 2 * r + 1 if n[a] >= 3 else 2 * r))
        if n[a] >= 4:
            out.append(('n-2,2', (a,), n[a] * (n[a] - 3) // 2, 1))
        if n[a] >= 3:
            out.append(('n-2,1,1', (a,), (n[a] - 1) * (n[a] - 2) // 2, 1))
    for a in range(r):
        for b in range(a + 1, r):
            if n[a] >= 2 and n[b] >= 2:
                out.append(('std x std', (a, b), (n[a] - 1) * (n[b] - 1), 2))
    assert sum(dim * cp for _, _, dim, cp in out) == part.d ** 2
    return out


def _complement_rows(fine, lower, parent):
    """Rows of E^T N: x is N-orthogonal to the image of Fix(lower) in Fix(fine)."""
    rows = []
    for l in lower.params:
        rows.append([fine.weights[q] if coarse_param(p, parent) == l else 0
                     for q, p in enumerate(fine.params)])
    return rows


def _swap(fine, b, c):
    """The permutation of fine parameters induced by swapping blocks b and c."""
    pi = {b: c, c: b}
    m = lambda x: pi.get(x, x)
    return [fine.index[(p[0],) + tuple(m(x) for x in p[1:])] for p in fine.params]


class Component:
    """One isotypic component: the refinement F on which its lines live, the embedding of
    the coarse point into Fix(F), and an N-orthogonal basis of integer lines.

    std_a:        F splits a into (n_a - 1, 1); lines = Fix(F) minus Fix(coarse).
    n-2,2 / n-2,1,1: F splits a into (n_a - 2, 1, 1) with singletons p, q; lines = Fix(F)
                  minus the two (n_a - 1, 1) refinements, the swap p <-> q acting as +1 / -1.
    std x std:    F splits a and b into (n - 1, 1); lines = Fix(F) minus both single splits.
    The block is the matrix of D^2 L_F along the normalised lines."""

    def __init__(self, part, kind, blocks, dimension, copies):
        self.kind, self.blocks, self.dimension, self.copies = kind, blocks, dimension, copies
        n, r = part.sizes, part.r
        if kind == 'trivial':
            self.fine, parent = part, list(range(r))
            lines = [[int(i == j) for i in range(part.dim)] for j in range(part.dim)]
        else:
            rows = []
            if kind == 'std':
                (a,) = blocks
                self.fine, parent = split(part, [(a, [n[a] - 1, 1])])
                rows = _complement_rows(self.fine, part, parent)
            elif kind in ('n-2,2', 'n-2,1,1'):
                (a,) = blocks
                self.fine, parent = split(part, [(a, [n[a] - 2, 1, 1])])
                one, _ = split(part, [(a, [n[a] - 1, 1])])
                p, q = r, r + 1
                for keep in (p, q):     # merge the other singleton back into block a
                    par = list(range(r)) + [a, a]
                    par[keep] = r
                    rows += _complement_rows(self.fine, one, par)
                sign = 1 if kind == 'n-2,2' else -1
                sw = _swap(self.fine, p, q)
                for i, j in enumerate(sw):
                    row = [0] * self.fine.dim
                    row[i] += 1
                    row[j] -= sign
                    rows.append(row)
            else:
                a, b = blocks
                self.fine, parent = split(part, [(a, [n[a] - 1, 1]), (b, [n[b] - 1, 1])])
                for own, other in ((a, b), (b, a)):
                    single, _ = split(part, [(own, [n[own] - 1, 1])])
                    par = list(range(r)) + [0, 0]
                    par[r + (own == b)] = r              # this singleton stays
                    par[r + (own == a)] = other          # the other one merges back
                    rows += _complement_rows(self.fine, single, par)
            lines = nullspace(rows, self.fine.dim)
        self.parent = parent
        self.emb = embedding(self.fine, part, parent)
        self.lines, self.gram = orthogonal_integer_basis(lines, self.fine.weights)
        if len(self.lines) != copies:
            raise Failure(f"component {kind}", f"construction gave {len(self.lines)} lines, "
                                               f"representation theory {copies}")
        self.U = arb_mat([[u[q] for u in self.lines] for q in range(self.fine.dim)])
        self.scale = [arb(g).sqrt() for g in self.gram]

    def block(self, theta, hessian=None):
        """The component block at the coarse balls theta (or from a fine Hessian)."""
        if hessian is None:
            _, _, hessian = loss_derivatives(self.fine, [theta[i] for i in self.emb])
        A = self.U.transpose() * hessian * self.U
        m = self.copies
        return arb_mat([[A[i, j] / (self.scale[i] * self.scale[j]) for j in range(m)]
                        for i in range(m)])

    def coordinates(self, delta):
        """Coordinates of a vector of Fix(F) (ball list) on the normalised lines."""
        w = self.fine.weights
        return [sum((w[q] * u[q] * delta[q] for q in range(len(delta)) if u[q]), arb(0)) / s
                for u, s in zip(self.lines, self.scale)]

    def label(self):
        if self.kind == 'trivial':
            return 'trivial'
        if self.kind == 'std x std':
            return f"std x std (blocks {self.blocks[0] + 1},{self.blocks[1] + 1})"
        return f"{self.kind} (block {self.blocks[0] + 1})"


# ---------------------------------------------------------------------- critical points

class CriticalPoint:
    """Everything the checker proves about a critical-point box."""

    def __init__(self, part, center, radius, dense_max_d=12):
        self.part = part

        def system(xc, X):
            L0, g0, _ = loss_derivatives(part, xc, hessian=False)
            _, _, HX = loss_derivatives(part, X)
            return g0, HX, (L0, g0, HX)
        try:
            self.K, xc, X, (L0, g0, HX) = krawczyk("existence", center, radius, system)
        except NonSmooth as e:
            raise Failure("existence", f"not re-proved: {e}")
        self.loss = taylor2(L0, g0, HX, [k - c for k, c in zip(self.K, xc)])
        self.comps = []
        for kind, blocks, dim, copies in component_list(part):
            comp = Component(part, kind, blocks, dim, copies)
            try:
                B = comp.block(self.K)
                comp.eigs = eigenvalues(B)
            except (NonSmooth, ValueError) as e:
                raise Failure(f"component {comp.label()}", f"not re-proved: {e}")
            comp.B, comp.pd = B, positive_definite(B)
            self.comps.append(comp)
        # classification
        if all(c.pd for c in self.comps):
            self.verdict = ('strict_local_minimum', 0)
        elif all(not e.contains(0) for c in self.comps for e in c.eigs):
            index = sum(c.dimension for c in self.comps for e in c.eigs if e < 0)
            self.verdict = ('saddle', index) if index else ('strict_local_minimum', 0)
        else:
            self.verdict = None
        # the smallest eigenvalue
        allev = [(c, j, e) for c in self.comps for j, e in enumerate(c.eigs)]
        self.min = min(allev, key=lambda t: lo(t[2]))
        others = [e for c, j, e in allev if (c, j) != self.min[:2]]
        m = self.min[2]
        self.separated = all(e > m for e in others)
        self.margin = None
        if others:
            nxt = min((e.lower() for e in others), key=lo).union(
                min((e.upper() for e in others), key=lo))
            self.margin = nxt - m
        self.dense = self._dense() if part.d <= dense_max_d else None

    def _dense(self):
        """Cross-check on the dense d^2 x d^2 Hessian (docs/loss.md closed forms): the
        dense gradient vanishes on K, the dense loss meets the reduced one, and the dense
        spectrum is the block spectrum (dense_spectrum_check)."""
        L, g, H = dense_all(dense_matrix(self.part, self.K))
        if not all(x.contains(0) for row in g for x in row):
            return "dense gradient does not vanish"
        if not L.overlaps(self.loss):
            return "dense loss disagrees with the reduced loss"
        return dense_spectrum_check(H, self.comps)


def dense_spectrum_check(H, comps):
    """For shifts s below, between and above the clusters of block eigenvalues (each
    counted `dimension` times), inertia(H - s I) must count exactly the block eigenvalues
    below s; then every gap interval holds as many dense eigenvalues as the blocks say."""
    ev = sorted(((e, c.dimension) for c in comps for e in c.eigs), key=lambda t: lo(t[0]))
    clusters = []
    for e, dim in ev:
        if clusters and not e > clusters[-1][0]:
            clusters[-1] = [clusters[-1][0].union(e), clusters[-1][1] + dim]
        else:
            clusters.append([e, dim])
    first, last = clusters[0][0], clusters[-1][0]
    span = (last.upper() - first.lower()) + 1
    shifts, below = [(first.lower() - span / 100, 0)], 0
    for (a, na), (b, _) in zip(clusters, clusters[1:]):
        below += na
        shifts.append(((a.upper() + b.lower()) / 2, below))
    shifts.append((last.upper() + span / 100, below + clusters[-1][1]))
    n = H.nrows()
    for s, want in shifts:
        s = s.mid()
        got = inertia(H - identity(n) * s)
        if got is None or got[1] != want:
            return f"dense inertia below {s.str(5)}: {got and got[1]} != {want}"
    return "ok"


# --------------------------------------------------------------------- tangency points

def tangency(crit, fine, parent, center, radius, r):
    """Krawczyk on F_p = dL_F/dtheta_p - mu N_p (theta_p - c_p), sum N_p (theta_p - c_p)^2
    = r^2 (unknowns theta, mu; center/radius exact, theta then mu), with c the critical
    point embedded in Fix(F) ranging over its ball.  Returns a dict of enclosures."""
    n = fine.dim
    N = fine.weights
    cf = [crit.K[i] for i in embedding(fine, crit.part, parent)]
    r2 = to_arb(r) ** 2

    def system(zc, Z):
        L0, g0, _ = loss_derivatives(fine, zc[:n], hessian=False)
        _, _, HZ = loss_derivatives(fine, Z[:n])
        mu0, muZ = zc[n], Z[n]
        F = [g0[p] - mu0 * N[p] * (zc[p] - cf[p]) for p in range(n)]
        F.append(sum((N[p] * (zc[p] - cf[p]) ** 2 for p in range(n)), arb(0)) - r2)
        J = arb_mat(n + 1, n + 1)
        for p in range(n):
            for q in range(n):
                J[p, q] = HZ[p, q]
            J[p, p] -= muZ * N[p]
            J[p, n] = -N[p] * (Z[p] - cf[p])
            J[n, p] = 2 * N[p] * (Z[p] - cf[p])
        return F, J, (L0, g0, HZ)
    try:
        Kz, zc, Z, (L0, g0, HZ) = krawczyk("tangency existence", center, radius, system)
    except NonSmooth as e:
        raise Failure("tangency existence", f"not re-proved: {e}")
    th, mu = Kz[:n], Kz[n]
    loss = taylor2(L0, g0, HZ, [a - b for a, b in zip(th, zc[:n])])
    return dict(theta=th, mu=mu, loss=loss, c=cf)


def sphere_signs(fine, t):
    """Signs of H - mu I on the tangent space (W - C)^perp, component by component of the
    isotropy: returns (all_pos, all_neg, labels with a positive direction, with a negative
    direction).  Trivial part: restricted to v^perp, v = N^(1/2)(theta - c), through the
    basis P_j = e_j - (v_j / v_k) e_k of v^perp (congruence keeps the inertia)."""
    th, mu, cf = t['theta'], t['mu'], t['c']
    all_pos = all_neg = True
    some_pos, some_neg = [], []
    for kind, blocks, dim, copies in component_list(fine):
        comp = Component(fine, kind, blocks, dim, copies)
        try:
            B = comp.block(th)
        except NonSmooth as e:
            raise Failure("type", f"not re-proved: {e}")
        m = B.nrows()
        M = B - identity(m) * mu
        if kind == 'trivial':
            v = [arb(w).sqrt() * (a - b) for w, a, b in zip(fine.weights, th, cf)]
            k = max(range(m), key=lambda i: abs(v[i].mid()))
            if v[k].contains(0):
                raise Failure("type", "not re-proved: W - C is not certainly nonzero")
            P = arb_mat(m, m - 1)
            for col, j in enumerate(i for i in range(m) if i != k):
                P[j, col] = 1
                P[k, col] = -v[j] / v[k]
            M = P.transpose() * M * P
        pos, neg = positive_definite(M), positive_definite(-M)
        all_pos &= pos
        all_neg &= neg
        if pos or neg:
            (some_pos if pos else some_neg).append(comp.label())
        else:
            try:
                ev = eigenvalues(M)
            except ValueError:
                ev = []
            if any(e > 0 for e in ev):
                some_pos.append(comp.label())
            if any(e < 0 for e in ev):
                some_neg.append(comp.label())
    return all_pos, all_neg, some_pos, some_neg


def cubic(fine, c, y):
    """D^3 L_F(c)[y, y, y] by Taylor arithmetic (Arb power series) on the line c + t y."""
    one = arb_series([1], prec=4)
    th = [arb_series([a, b], prec=4) for a, b in zip(c, y)]
    coeffs = loss_value(fine, th, one).coeffs()
    return 6 * coeffs[3] if len(coeffs) > 3 else arb(0)


def mirror(comp):
    """Whether swapping two equal fine blocks of the same coarse block maps every line of
    the component to its negative (then the two arc directions are mirror images)."""
    f = comp.fine
    for b in range(f.r):
        for c in range(b + 1, f.r):
            if comp.parent[b] == comp.parent[c] and f.sizes[b] == f.sizes[c]:
                sw = _swap(f, b, c)
                if all(u[sw[q]] == -u[q] for u in comp.lines for q in range(f.dim)):
                    return True
    return False


def dense_sphere(fine, t):
    """Cross-check for d <= 12 in the full space: the bordered matrix [[H(W) - mu I, v],
    [v^T, 0]], v = W - C, has inertia (1, 1) + the inertia of H - mu I on v^perp."""
    W, C = dense_matrix(fine, t['theta']), dense_matrix(fine, t['c'])
    _, _, H = dense_all(W)
    d, n = len(W), H.nrows()
    M = arb_mat(n + 1, n + 1)
    for i in range(n):
        for j in range(n):
            M[i, j] = H[i, j]
        M[i, i] -= t['mu']
        M[i, n] = M[n, i] = W[i // d][i % d] - C[i // d][i % d]
    return inertia(M)
