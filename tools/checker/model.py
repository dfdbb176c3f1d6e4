"""The loss of the two-layer ReLU network (teacher V = I, Gaussian inputs) in the
reduced coordinates of a Young fixed space, and the dense d^2 x d^2 Hessian, in Arb balls.

Written from the project's docs/ sections 1 and 2; shares no code with relucert.
Every function takes balls (flint.arb) and returns balls that contain the exact value for
every point of the input balls.  Block sizes are exact Python integers throughout.

Kernel: for rows u, v with N = |u|^2, M = |v|^2, p = u.v and S = N M - p^2 > 0,
    f(u, v) = (s + (pi - t) p) / (2 pi),  s = sqrt(S),  pi - t = pi/2 + atan(p/s),
which is docs/loss.md's |u||v|(sin t + (pi - t) cos t)/(2 pi).  S is formed from the Lagrange
identity S = sum_{k<l} (u_k v_l - u_l v_k)^2 over column classes, a sum of squares, so it
has no cancellation when u and v are nearly parallel (w_i close to e_i at family I).
"""
from flint import arb, arb_mat

ONE, ZERO = -1, -2          # constant row entries (a target row e_j)


class NonSmooth(Exception):
    """A ball touches the set where L is not smooth (a zero row, parallel rows)."""


class Partition:
    """Blocks of sizes n_0..n_{r-1}; parameters in relucert's layout order: per block a,
    D_a, O_a (when n_a >= 2), then X_ab for b != a in increasing b."""

    def __init__(self, sizes):
        self.sizes = [int(n) for n in sizes]
        assert self.sizes and all(n >= 1 for n in self.sizes)
        r = self.r = len(self.sizes)
        self.d = sum(self.sizes)
        self.params = []
        for a in range(r):
            self.params.append(('D', a))
            if self.sizes[a] >= 2:
                self.params.append(('O', a))
            self.params += [('X', a, b) for b in range(r) if b != a]
        self.index = {p: i for i, p in enumerate(self.params)}
        self.dim = len(self.params)
        self.weights = [self.weight(p) for p in self.params]   # exact ints N_p
        self.terms = _terms(self)

    def weight(self, p):
        n = self.sizes
        return n[p[1]] if p[0] == 'D' else n[p[1]] * (n[p[1]] - 1) if p[0] == 'O' \
            else n[p[1]] * n[p[2]]

    def name(self, p):
        if p[0] != 'X':
            return f"{p[0]}{p[1] + 1}"
        return f"X{p[1] + 1}{p[2] + 1}" if self.r < 10 else f"X{p[1] + 1}_{p[2] + 1}"

    def label(self):
        return ",".join(str(n) for n in self.sizes)


def split(part, splits):
    """Refine: each (a, parts) gives block a the size parts[0] and appends parts[1:] as new
    blocks.  Returns the fine partition and parent[b] = coarse block of fine block b."""
    sizes, parent = list(part.sizes), list(range(part.r))
    for a, parts in splits:
        assert sum(parts) == part.sizes[a] and len(parts) >= 2 and min(parts) >= 1
        sizes[a] = parts[0]
        for n in parts[1:]:
            sizes.append(n)
            parent.append(a)
    return Partition(sizes), parent


def coarse_param(q, parent):
    """The coarse parameter whose matrix entries contain those of fine parameter q."""
    if q[0] != 'X':
        return (q[0], parent[q[1]])
    b, c = parent[q[1]], parent[q[2]]
    return ('O', b) if b == c else ('X', b, c)


def embedding(fine, coarse, parent):
    """emb[q] = index of the coarse parameter fine parameter q copies (exact, linear)."""
    return [coarse.index[coarse_param(q, parent)] for q in fine.params]


def _terms(part):
    """The kernel terms of the reduced loss: (weight, classes).  A class (count, u, v) is a
    set of `count` columns on which row u and row v are constant; u, v are parameter
    indices or ONE/ZERO.  Rows: a neuron i of block a has D_a at column i, O_a at the other
    columns of block a and X_ab at the columns of block b; a target e_j has 1 at column j."""
    n, r, ix = part.sizes, part.r, part.index
    T = []

    def rest(a, skip, row_v):
        return [(n[c], ix[('X', a, c)], row_v(c)) for c in range(r) if c not in skip]

    zero = lambda c: ZERO
    for a in range(r):
        D, O = ix[('D', a)], ix.get(('O', a))
        if n[a] >= 2:        # two neurons of block a: n_a (n_a - 1) ordered pairs, 1/2 each
            T.append(((n[a] * (n[a] - 1), 2),
                      [(1, D, O), (1, O, D), (n[a] - 2, O, O)]
                      + rest(a, (a,), lambda c: ix[('X', a, c)])))
        for b in range(a + 1, r):   # neurons of blocks a < b: both orders, 1/2 each
            Db, Ob = ix[('D', b)], ix.get(('O', b))
            T.append(((n[a] * n[b], 1),
                      [(1, D, ix[('X', b, a)]), (1, ix[('X', a, b)], Db),
                       (n[a] - 1, O, ix[('X', b, a)]), (n[b] - 1, ix[('X', a, b)], Ob)]
                      + rest(a, (a, b), lambda c: ix[('X', b, c)])))
        # - sum_j f(w_i, e_j): own index, other indices of block a, indices of block b
        T.append(((-n[a], 1), [(1, D, ONE), (n[a] - 1, O, ZERO)] + rest(a, (a,), zero)))
        if n[a] >= 2:
            T.append(((-n[a] * (n[a] - 1), 1),
                      [(1, D, ZERO), (1, O, ONE), (n[a] - 2, O, ZERO)] + rest(a, (a,), zero)))
        for b in range(r):
            if b != a:
                X = ix[('X', a, b)]
                T.append(((-n[a] * n[b], 1),
                          [(1, D, ZERO), (1, X, ONE), (n[a] - 1, O, ZERO), (n[b] - 1, X, ZERO)]
                          + rest(a, (a, b), zero)))
    out = []
    for (num, den), classes in T:
        classes = [c for c in classes if c[0] != 0]
        # Lagrange identity: pairs of classes whose 2x2 minor is not identically zero
        minors = [(k, l) for k in range(len(classes)) for l in range(k + 1, len(classes))
                  if not _zero_minor(classes[k], classes[l])]
        out.append((num, den, classes, minors))
    return out


def _zero_minor(x, y):
    (_, u1, v1), (_, u2, v2) = x, y
    return (u1 == ZERO or v2 == ZERO) and (u2 == ZERO or v1 == ZERO)


def _val(th, x, one):
    return th[x] if x >= 0 else one if x == ONE else one * 0


def forms(classes, minors, th, one):
    """N, M, p, S of one term (values only), generic over arb / arb_series."""
    N = M = p = S = one * 0
    vals = [(c, _val(th, u, one), _val(th, v, one)) for c, u, v in classes]
    for c, u, v in vals:
        N += c * u * u
        M += c * v * v
        p += c * u * v
    for k, l in minors:
        (ck, uk, vk), (cl, ul, vl) = vals[k], vals[l]
        m = uk * vl - ul * vk
        S += (ck * cl) * m * m
    return N, M, p, S


def loss_value(part, th, one):
    """L at th, for th a list of arb or of arb_series (Taylor along a line); `one` is the
    unit of that type.  Refuses (NonSmooth) unless every S is certainly positive."""
    pi = arb.pi()
    d = part.d
    L = one * 0
    for q, t in enumerate(th):
        L += part.weights[q] * t * t / 4            # 1/2 sum_i f(w_i, w_i) = |W|_F^2 / 4
    for num, den, classes, minors in part.terms:
        N, M, p, S = forms(classes, minors, th, one)
        S0 = S if isinstance(S, arb) else S.coeffs()[0]
        if not S0 > 0:
            raise NonSmooth("a kernel argument is (nearly) parallel or zero")
        s = S.sqrt()
        L += (num * (s + (pi / 2 + (p / s).atan()) * p)) / (2 * den * pi)
    return L + arb(d) / 4 + arb(d * (d - 1)) / (4 * pi)


def loss_derivatives(part, th, hessian=True):
    """Value, gradient (list) and Hessian (arb_mat) of the reduced loss over the balls th,
    by the chain rule through the quadratic forms N, M, p (closed-form second derivatives
    of the kernel; docs/reduction.md and tools/README.md)."""
    n = part.dim
    pi = arb.pi()
    one = arb(1)
    L = arb(part.d) / 4 + arb(part.d * (part.d - 1)) / (4 * pi)
    g = [arb(0)] * n
    H = arb_mat(n, n)
    for q in range(n):
        w = part.weights[q]
        L += w * th[q] * th[q] / 4
        g[q] = w * th[q] / 2
        H[q, q] = arb(w) / 2
    for num, den, classes, minors in part.terms:
        N, M, p, S = forms(classes, minors, th, one)
        if not S > 0:
            raise NonSmooth("a kernel argument is (nearly) parallel or zero")
        s = S.sqrt()
        wt = arb(num) / den
        L += wt * (s + (pi / 2 + (p / s).atan()) * p) / (2 * pi)
        # first derivatives of the forms (sparse) and their constant second derivatives
        dN, dM, dp = {}, {}, {}
        hN, hM, hp = {}, {}, {}
        for c, u, v in classes:
            uv, vv = _val(th, u, one), _val(th, v, one)
            if u >= 0:
                dN[u] = dN.get(u, 0) + 2 * c * uv
                hN[(u, u)] = hN.get((u, u), 0) + 2 * c
                dp[u] = dp.get(u, 0) + c * vv
            if v >= 0:
                dM[v] = dM.get(v, 0) + 2 * c * vv
                hM[(v, v)] = hM.get((v, v), 0) + 2 * c
                dp[v] = dp.get(v, 0) + c * uv
            if u >= 0 and v >= 0:
                for key in ((u, v), (v, u)):
                    hp[key] = hp.get(key, 0) + c
        fN, fM = s / (4 * pi * N), s / (4 * pi * M)
        fp = (pi / 2 + (p / s).atan()) / (2 * pi)
        e = (p * p - S) / (8 * pi * s)
        fNN, fMM, fNM = e / (N * N), e / (M * M), 1 / (8 * pi * s)
        fpp, fpN, fpM = 1 / (2 * pi * s), -p / (4 * pi * N * s), -p / (4 * pi * M * s)
        for grad, coef in ((dN, fN), (dM, fM), (dp, fp)):
            for i, x in grad.items():
                g[i] += wt * coef * x
        if not hessian:
            continue
        for hq, coef in ((hN, fN), (hM, fM), (hp, fp)):
            for (i, j), c in hq.items():
                H[i, j] += wt * coef * c
        idx = sorted(set(dN) | set(dM) | set(dp))
        pos = {i: k for k, i in enumerate(idx)}
        J = arb_mat(3, len(idx))
        for row, grad in enumerate((dN, dM, dp)):
            for i, x in grad.items():
                J[row, pos[i]] = x
        C = arb_mat([[fNN, fNM, fpN], [fNM, fMM, fpM], [fpN, fpM, fpp]]) * wt
        Hloc = J.transpose() * C * J
        for a, i in enumerate(idx):
            for b, j in enumerate(idx):
                H[i, j] += Hloc[a, b]
    return L, g, H


# ---------------------------------------------------------------- dense (docs/loss.md)

def dense_matrix(part, th):
    """The d x d matrix W of a point th of Fix (blocks of consecutive indices)."""
    blk = [a for a in range(part.r) for _ in range(part.sizes[a])]
    ix = part.index

    def entry(i, j):
        a, b = blk[i], blk[j]
        return th[ix[('D', a)] if i == j else ix[('O', a)] if a == b else ix[('X', a, b)]]
    return [[entry(i, j) for j in range(part.d)] for i in range(part.d)]


def dense_all(W):
    """Loss, gradient (d x d list) and Hessian (d^2 x d^2 arb_mat, index i*d + k for W_ik)
    of the full loss at the balls W, from the closed forms of docs/loss.md."""
    d = len(W)
    pi = arb.pi()
    I = arb_mat(d, d, [1 if i == j else 0 for i in range(d) for j in range(d)])
    rows = [arb_mat(d, 1, W[i]) for i in range(d)]
    targets = [arb_mat(d, 1, [1 if k == j else 0 for k in range(d)]) for j in range(d)]

    def dot(x, y):
        return (x.transpose() * y)[0, 0]

    def kernel(w, u):
        N, M, p = dot(w, w), dot(u, u), dot(w, u)
        S = N * M - p * p
        if not S > 0:
            raise NonSmooth("dense: parallel rows")
        nw, nu, s_abs = N.sqrt(), M.sqrt(), S.sqrt()
        c, s = p / (nw * nu), s_abs / (nw * nu)          # cos t, sin t
        pit = pi / 2 + (p / s_abs).atan()                 # pi - t
        wb, ub = w * (1 / nw), u * (1 / nu)
        f = (s_abs + pit * p) / (2 * pi)
        grad = (wb * (nu * s) + u * pit) * (1 / (2 * pi))
        nn, mm = (ub - wb * c) * (1 / s), (wb - ub * c) * (1 / s)
        A = (I - wb * wb.transpose() + nn * nn.transpose()) * (s * nu / (2 * pi * nw))
        B = (I * pit + mm * ub.transpose() + nn * wb.transpose()) * (1 / (2 * pi))
        return f, grad, A, B

    L = arb(d) / 4 + arb(d * (d - 1)) / (4 * pi)
    grad = [rows[i] * arb(0.5) for i in range(d)]
    Hb = [[None] * d for _ in range(d)]
    for i in range(d):
        L += dot(rows[i], rows[i]) / 4
        Hii = I * arb(0.5)
        for j in range(d):
            if j != i:
                f, gi, A, B = kernel(rows[i], rows[j])
                L += f / 2
                grad[i] += gi
                Hii += A
                Hb[i][j] = B
            f, gi, A, _ = kernel(rows[i], targets[j])
            L -= f
            grad[i] -= gi
            Hii -= A
        Hb[i][i] = Hii
    H = arb_mat(d * d, d * d)
    for i in range(d):
        for j in range(d):
            for k in range(d):
                for l in range(d):
                    H[i * d + k, j * d + l] = Hb[i][j][k, l]
    return L, [[grad[i][k, 0] for k in range(d)] for i in range(d)], H
