"""Exact and rigorous linear algebra for the checker.

Exact (Python ints / Fractions / flint fmpz): null spaces and N-orthogonal bases of the
component lines.  Rigorous (Arb balls): positive definiteness by Cholesky, eigenvalue
enclosures by Gershgorin's theorem on a similarity transform, inertia by Schur complements.
"""
from fractions import Fraction
from math import gcd, lcm

from flint import acb_mat, arb, arb_mat, fmpq, fmpz_mat


def q_of(x):
    """The exact rational value of an exact ball (an endpoint)."""
    m, e = x.man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2 ** e) if e >= 0 else Fraction(m, 2 ** -e)


def lo(x):
    return q_of(x.lower())


def hi(x):
    return q_of(x.upper())


def to_arb(q):
    """A ball containing the exact rational q (Fraction or fmpq)."""
    return arb(fmpq(q.numerator, q.denominator)) if isinstance(q, Fraction) else arb(q)


# ------------------------------------------------------------------------- exact

def nullspace(rows, ncols):
    """A basis (list of int vectors) of {x : R x = 0} for an integer matrix R."""
    if not rows:
        return [[int(i == j) for i in range(ncols)] for j in range(ncols)]
    X, k = fmpz_mat(rows).nullspace()
    return [[int(X[i, j]) for i in range(ncols)] for j in range(k)]


def orthogonal_integer_basis(vectors, weights):
    """Gram-Schmidt in the metric <x, y> = sum_q N_q x_q y_q, exactly; each result scaled
    to a primitive integer vector.  Returns (basis, Gram diagonal) with the Gram matrix
    checked to be diagonal."""
    out = []
    for v in vectors:
        x = [Fraction(c) for c in v]
        for u in out:
            t = Fraction(sum(w * a * b for w, a, b in zip(weights, x, u)),
                         sum(w * b * b for w, b in zip(weights, u)))
            x = [a - t * b for a, b in zip(x, u)]
        den = lcm(*[c.denominator for c in x])
        ints = [int(c * den) for c in x]
        g = 0
        for c in ints:
            g = gcd(g, c)
        assert g != 0, "dependent lines"
        out.append([c // g for c in ints])
    gram = [[sum(w * a * b for w, a, b in zip(weights, u, v)) for v in out] for u in out]
    assert all(gram[i][j] == 0 for i in range(len(out)) for j in range(len(out)) if i != j)
    return out, [gram[i][i] for i in range(len(out))]


# ---------------------------------------------------------------------- rigorous

def positive_definite(A):
    """True only if every symmetric matrix in the ball matrix A is positive definite: the
    Cholesky recursion over balls contains each member's, and every pivot is > 0."""
    n = A.nrows()
    L = [[None] * n for _ in range(n)]
    for k in range(n):
        s = A[k, k]
        for j in range(k):
            s -= L[k][j] * L[k][j]
        if not s > 0:
            return False
        L[k][k] = s.sqrt()
        for i in range(k + 1, n):
            t = A[i, k]
            for j in range(k):
                t -= L[i][j] * L[k][j]
            L[i][k] = t / L[k][k]
    return True


def eigenvalues(A):
    """Balls E_1 <= ... <= E_n with lambda_k(A') in E_k for every symmetric A' in the ball
    matrix A.  Q: approximate eigenvectors of the midpoint (exact numbers, any accuracy).
    B = Q^-1 A Q is enclosed in ball arithmetic; every Q^-1 A' Q lies in it and has A''s
    (real) eigenvalues.  Gershgorin: a connected union of k discs of B holds exactly k of
    them, so sorting the components gives the sorted eigenvalues.  Raises ValueError."""
    n = A.nrows()
    mid = arb_mat([[((A[i, j] + A[j, i]) / 2).mid() for j in range(n)] for i in range(n)])
    _, R = acb_mat(mid).eig(right=True, algorithm="approx")
    cols = []
    for j in range(n):
        col = [R[i, j] for i in range(n)]
        big = max(col, key=lambda z: abs(z).mid())
        cols.append([(z / big).real.mid() for z in col])     # a real approximate vector
    Q = arb_mat([[cols[j][i] for j in range(n)] for i in range(n)])
    try:
        B = Q.inv() * A * Q
    except ZeroDivisionError:
        raise ValueError("approximate eigenvectors are singular")
    discs = []
    for i in range(n):
        r = arb(0)
        for j in range(n):
            if j != i:
                r += abs(B[i, j]).upper()
        a, b = (B[i, i].lower() - r.upper()).lower(), (B[i, i].upper() + r.upper()).upper()
        if not (a.is_finite() and b.is_finite()):
            raise ValueError("eigenvalue enclosure is not finite")
        discs.append((a, b))
    discs.sort(key=lambda ab: lo(ab[0]))
    out, k = [], 0
    while k < n:
        a, b, end = discs[k][0], discs[k][1], k + 1
        while end < n and not discs[end][0] > b:
            b = b.max(discs[end][1])
            end += 1
        out += [a.union(b)] * (end - k)
        k = end
    return out


def _sub(rows, r0, r1, c0, c1):
    return arb_mat([row[c0:c1] for row in rows[r0:r1]])


def inertia(M):
    """(number of positive, number of negative eigenvalues), the same for every symmetric
    member of the ball matrix M, or None.  Sylvester: [[A, B], [B^T, C]] is congruent to
    diag(A, C - B^T A^-1 B) when A is invertible; recurse on both halves."""
    n = M.nrows()
    if n == 1:
        x = M[0, 0]
        return (1, 0) if x > 0 else (0, 1) if x < 0 else None
    rows = M.tolist()
    k = n // 2
    A, B, C = _sub(rows, 0, k, 0, k), _sub(rows, 0, k, k, n), _sub(rows, k, n, k, n)
    first = inertia(A)
    if first is None:
        return None
    try:
        S = C - B.transpose() * A.solve(B)
    except ZeroDivisionError:
        return None
    second = inertia(S)
    return None if second is None else (first[0] + second[0], first[1] + second[1])
