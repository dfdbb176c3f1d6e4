"""Locating a family's critical point with the checker's own code, to re-prove a
certificate's `family` label (docs/families.md: a family is a branch of critical points and
the procedure that follows it).

Approximate: Newton on the checker's reduced gradient (model.loss_derivatives, Arb balls
used at their midpoints), from the family's asymptotic point (docs/families.md) for
d >= 200; for d < 200 the branch is followed down from d = 200 through every integer d
(a secant predictor from the two previous points, then Newton). The located point is then
refined by Newton at the certificate's precision.  Nothing here is an enclosure: the
result decides the label (inside the certified box, or far from it), not a claim about
the point itself, which Krawczyk proves."""
from flint import arb, arb_mat, ctx

from model import NonSmooth, Partition, loss_derivatives

# the family coordinates a, b, c, e, f in the layout of partition (d-1, 1)
FAMILY_PARAMS = [('D', 0), ('O', 0), ('X', 0, 1), ('X', 1, 0), ('D', 1)]
CONTINUATION_FROM = 200
_path = {}              # (family, d) -> located point (floats), shared along the branch


class NotLocated(Exception):
    pass


def family_partition(family, d):
    return Partition([d] if family == 'IIsym' else [d - 1, 1])


def asymptotic(family, d):
    """The family's asymptotic point (docs/families.md), in layout order."""
    pi = arb.pi()
    d = arb(d)
    if family == 'IIsym':
        return [-1 + 2 / d, 2 / d]
    if family == 'I':
        a, b, c = 1 + (8 / pi) / d ** 2, -(4 / pi) / d ** 2, 2 / d
        e, f = (4 / pi) / d, -1 + (2 + 8 / pi + 8 / pi ** 2) / d
    else:
        a, b, c = -1 + 2 / d, 2 / d, -(12 / pi - 16 / pi ** 2) / d ** 2
        e, f = (2 - 4 / pi) / d, 1 + (8 / pi - 8 / pi ** 2) / d
    part = family_partition('I', 5)
    x = [None] * 5
    for v, p in zip((a, b, c, e, f), FAMILY_PARAMS):
        x[part.index[p]] = v
    return x


def newton(part, x, prec, steps=60):
    """Newton on the reduced gradient at `prec` bits from the point x (list of numbers);
    returns the converged point as midpoints, or raises NotLocated."""
    old = ctx.prec
    ctx.prec = prec
    try:
        x = [arb(v).mid() for v in x]
        for _ in range(steps):
            _, g, H = loss_derivatives(part, x)
            try:
                dx = H.mid().solve(arb_mat(len(x), 1, [v.mid() for v in g]))
            except ZeroDivisionError:
                raise NotLocated("the Hessian is singular at a Newton step")
            x = [(v - dx[i, 0]).mid() for i, v in enumerate(x)]
            size = max(abs(dx[i, 0].mid()) for i in range(len(x)))
            # rounding noise of the gradient grows with the weights (up to d^2)
            tol = max(abs(v) for v in x) * arb(2) ** (8 - prec) * max(part.d, 1) ** 2
            if size <= tol:
                return x
        raise NotLocated(f"Newton did not converge in {steps} steps")
    except NonSmooth as e:
        raise NotLocated(str(e))
    finally:
        ctx.prec = old


def _approximate(family, d):
    """The family's point at integer d to about 20 digits (cached along the branch)."""
    if (family, d) in _path:
        return _path[(family, d)]
    low = 128 if d > 1000 else 96
    if d >= CONTINUATION_FROM:
        x = newton(family_partition(family, d), asymptotic(family, d), low)
    else:
        x1 = _approximate(family, d + 1)
        x2 = _path.get((family, d + 2))
        guess = x1 if x2 is None else [2 * a - b for a, b in zip(x1, x2)]
        x = newton(family_partition(family, d), guess, low)
        # the branch moves by O(1/d) per unit step: a jump means another critical point
        if max(abs(a - b) for a, b in zip(x, x1)) > 0.5 * (1 + 5 / arb(d)):
            raise NotLocated(f"the continuation jumped between d = {d + 1} and d = {d}")
    _path[(family, d)] = x
    return x


def locate(family, d, prec):
    """The family's critical point at d, refined at `prec` bits (layout order)."""
    if family == 'II' and d < 4 or d < 3:
        raise NotLocated(f"family {family} is not followed to d = {d}")
    return newton(family_partition(family, d), _approximate(family, d), prec)
