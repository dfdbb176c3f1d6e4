#!/usr/bin/env python3
"""Independent checker for relucert certificates (critical_point and tangency_point).

    python3 tools/checker/check.py [--json] FILE...

Exit codes (those of relucert verify): 0 every claim of every file re-proved; 1 some
claim refuted; 2 some file unreadable or malformed (not JSON, unknown/missing key, wrong
type, larger than 16 MiB); 3 some claim not re-proved (inconclusive).  Over several files
the most severe: 2 > 1 > 3 > 0.
Reads only the files; shares no code and no arithmetic with relucert (Python + Arb)."""
import json
import os
import re
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    from flint import arb, ctx  # noqa: E402
except ImportError:
    print("check.py: python-flint is required (python3 -m pip install python-flint)",
          file=sys.stderr)
    sys.exit(2)

import families  # noqa: E402

from linalg import hi, lo, q_of, to_arb  # noqa: E402
from model import Partition, split  # noqa: E402
from proofs import CriticalPoint, Failure, column, component_list, cubic, dense_sphere, \
    mirror, sphere_signs, tangency  # noqa: E402

GUARD = 64            # extra working bits; every claim is still proved by containment
FAMILIES = {'I': ['a', 'b', 'c', 'e', 'f'], 'II': ['a', 'b', 'c', 'e', 'f'], 'IIsym': ['a', 'b']}
# The two-block flip members (src/search/flip.rs) are written in layout order, layout names.
FLIP = re.compile(r'flip\(([1-9][0-9]*)\)(?:#[1-9][0-9]*)?')
FAMILY_PARAMS = [('D', 0), ('O', 0), ('X', 0, 1), ('X', 1, 0), ('D', 1)]
KINDS = ('trivial', 'std', 'n-2,2', 'n-2,1,1', 'std x std')
BLOCKS = {'trivial': 0, 'std': 1, 'n-2,2': 1, 'n-2,1,1': 1, 'std x std': 2}

# The format rules, the same as relucert verify's (docs/certificates.md, "The format rules"):
MAX_FILE_BYTES = 16 << 20                 # larger files are refused after reading limit + 1
MAX_DECIMAL_CHARS = 10000
MAX_DECIMAL_EXPONENT = 10000
PRECISION_BITS = range(64, 8192 + 1)
MAX_COUNT = 2 ** 64 - 1                   # copies, blocks, parts, eigenvalue_index, isotropy
MAX_MULTIPLICITY = 2 ** 128 - 1           # dimension, index (up to d^2)
DECIMAL = re.compile(r'[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?([0-9]{1,5}))?', re.ASCII)
VERSION = re.compile(r'(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})', re.ASCII)
if hasattr(sys, 'set_int_max_str_digits'):
    sys.set_int_max_str_digits(MAX_DECIMAL_CHARS + 100)


class Malformed(Exception):
    pass


# ------------------------------------------------------------------------------ reading

def keys(obj, where, required, optional=()):
    if not isinstance(obj, dict):
        raise Malformed(f"{where} must be an object")
    for k in required:
        if k not in obj:
            raise Malformed(f"missing key '{where}.{k}'" if where else f"missing key '{k}'")
    for k in obj:
        if k not in required and k not in optional:
            raise Malformed(f"unknown key '{where}.{k}'" if where else f"unknown key '{k}'")
    return obj


def cut(s):
    """A value quoted in a message: at most 80 characters (as relucert's error::cut)."""
    s = s if isinstance(s, str) else repr(s)
    return s if len(s) <= 80 else f"{s[:60]}... ({len(s)} characters)"


def typed(x, t, where):
    ok = (isinstance(x, int) and not isinstance(x, bool)) if t is int else isinstance(x, t)
    if not ok:
        raise Malformed(f"'{where}' must be {t.__name__}")
    return x


def count(x, where, top=MAX_COUNT, low=0):
    """A JSON integer in low..top."""
    if not (isinstance(x, int) and not isinstance(x, bool) and low <= x <= top):
        raise Malformed(f"'{where}' must be an integer in {low}..={top}")
    return x


def decimal(s, where):
    m = DECIMAL.fullmatch(s) if isinstance(s, str) and len(s) <= MAX_DECIMAL_CHARS else None
    if not m or (m.group(4) and int(m.group(4)) > MAX_DECIMAL_EXPONENT):
        raise Malformed(f"'{where}' {cut(s)!r} is not a decimal number (ASCII digits, at most "
                        f"{MAX_DECIMAL_CHARS} characters, exponent within +-{MAX_DECIMAL_EXPONENT})")
    return Fraction(s)


def interval(v, where):
    """A stored enclosure: both ends, lo <= hi (a margin too: there is no one-sided form)."""
    keys(v, where, ('lo', 'hi'))
    a = decimal(v['lo'], where + '.lo')
    b = decimal(v['hi'], where + '.hi')
    if a > b:
        raise Malformed(f"'{where}': lo > hi")
    return a, b


def header(doc, kind):
    if typed(doc['format'], str, 'format') != 'relucert-certificate':
        raise Malformed("'format' is not 'relucert-certificate'")
    if typed(doc['format_version'], int, 'format_version') != 1:
        raise Malformed("unsupported format_version")
    # the writer's version: any X.Y.Z is accepted (every claim is re-proved whatever wrote it)
    if not VERSION.fullmatch(typed(doc['relucert_version'], str, 'relucert_version')):
        raise Malformed(f"relucert_version {cut(doc['relucert_version'])!r} is not a version "
                        f"X.Y.Z (three numbers without leading zeros)")
    if doc['kind'] != kind:
        raise Malformed(f"'kind' is not '{kind}'")
    sizes = doc['partition']
    if not isinstance(sizes, list) or not sizes or len(sizes) > 12 or \
            not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_COUNT
                    for n in sizes):
        raise Malformed("'partition' must be a list of 1 to 12 positive integers")
    if typed(doc['d'], int, 'd') != sum(sizes) or not 3 <= sum(sizes) <= 10 ** 12:
        raise Malformed("'d' must be the sum of 'partition' and lie in 3..1e12")
    prec = count(doc['precision_bits'], 'precision_bits')
    if prec not in PRECISION_BITS:
        raise Malformed(f"'precision_bits' must lie in {PRECISION_BITS.start}.."
                        f"={PRECISION_BITS.stop - 1}")
    fam = doc['family']
    part = Partition(sizes)
    if fam is not None:
        flip = isinstance(fam, str) and FLIP.fullmatch(fam)
        if not isinstance(fam, str) or not (fam in FAMILIES or flip):
            raise Malformed(f"unknown family {cut(fam)!r}")
        if flip:
            # flip(p)#k: p flipped neurons, Fix(Delta(S_{d-p} x S_p)), or Fix(Delta S_d) at p = d.
            p, d = int(flip.group(1)), sum(sizes)
            want = [d - p, p] if p < d else [d]
        else:
            want = [sum(sizes) - 1, 1] if fam != 'IIsym' else [sum(sizes)]
        if sizes != want:
            raise Malformed(f"family {fam} does not live in partition {sizes}")
    return part, prec


def center_of(obj, part, family, where):
    if family is None or FLIP.fullmatch(family):
        names = [(part.name(p), part.index[p]) for p in part.params]
    else:
        names = [(nm, part.index[p]) for nm, p in zip(FAMILIES[family], FAMILY_PARAMS)]
    keys(obj, where, [nm for nm, _ in names])
    c = [None] * part.dim
    for nm, i in names:
        c[i] = decimal(obj[nm], f"{where}.{nm}")
    return c


def block_of(v, where, r):
    """The component's blocks, written as the writer writes them: null for trivial, one
    block number for std, n-2,2 and n-2,1,1, a list of two for std x std."""
    b, kind = v['block'], v['kind']
    if kind not in KINDS:
        raise Malformed(f"{where}: unknown component kind {cut(kind)!r}")
    want = BLOCKS[kind]
    bs = [] if b is None and want == 0 else [b] if want == 1 else b if want == 2 and \
        isinstance(b, list) and len(b) == 2 else None
    if bs is None or not all(isinstance(x, int) and not isinstance(x, bool) and 1 <= x <= r
                             for x in bs):
        raise Malformed(f"'{where}.block' must be written "
                        f"{['null', 'a block number', 'a list of two block numbers'][want]} "
                        f"in 1..={r} for component '{kind}'")
    return tuple(x - 1 for x in bs)


# ------------------------------------------------------------------------------- claims

class Claims:
    def __init__(self):
        self.n = 0

    def ok(self):
        self.n += 1

    def true(self, claim, cond, msg):
        if not cond:
            raise Failure(claim, msg)
        self.ok()

    def encloses(self, claim, ball, stored):
        """The stored [lo, hi] contains the proved enclosure `ball` (hi may be absent: a
        lower bound)."""
        a, b = stored
        x, y = lo(ball), hi(ball)
        if x >= a and (b is None or y <= b):
            return self.ok()
        refuted = y < a or (b is not None and x > b)
        shown = f"[{_dec(a)}, {_dec(b)}]" if b is not None else f"lower bound {_dec(a)}"
        raise Failure(claim, f"{'refuted' if refuted else 'not re-proved'}: stored {shown}, "
                             f"enclosure {ball.str(45)}")


def _dec(q):
    return to_arb(q).str(42, radius=False)


def statement_cp(part, prec):
    d = part.d
    return (f"The loss L on R^{{{d}x{d}}} has exactly one critical point W* in the block "
            f"matrices of partition [{part.label()}] whose parameters lie within radius of "
            f"center; the enclosures below hold at W*, computed in {prec}-bit interval "
            f"arithmetic with outward rounding.")


def classification_claims(cl, cp, classification, index, where=''):
    v = cp.verdict
    if classification == 'inconclusive':
        raise Failure(where + 'classification', "not re-proved: 'inconclusive' states nothing")
    cl.true(where + 'classification', v is not None and v[0] == classification,
            f"{'refuted' if v else 'not re-proved'}: the file says {classification}, the "
            f"checker proves {v[0] if v else 'nothing'}")
    if index is not None or where == '':
        cl.true(where + 'index', index == v[1], f"refuted: the file says {index}, the "
                                                f"checker proves {v[1]}")


def check_input(inp, d):
    """The `input` object of a certificate written by `relucert identify` (structure only:
    the permutations are permutations of 0..d-1, the convention and digest are well formed;
    the input file itself is not read)."""
    keys(inp, 'input', ('source', 'neurons', 'permutation', 'neuron_permutation', 'sha256'))
    typed(inp['source'], str, 'input.source')
    if inp['neurons'] not in ('rows', 'columns'):
        raise Malformed("input.neurons must be 'rows' or 'columns'")
    for k in ('permutation', 'neuron_permutation'):
        p = inp[k]
        if not (isinstance(p, list) and all(isinstance(i, int) and not isinstance(i, bool)
                                            for i in p) and sorted(p) == list(range(d))):
            raise Malformed(f"input.{k} is not a permutation of 0..{d - 1}")
    h = inp['sha256']
    if not (isinstance(h, str) and len(h) == 64 and all(c in '0123456789abcdef' for c in h)):
        raise Malformed("input.sha256 must be 64 lowercase hex digits")


def check_critical(doc):
    keys(doc, '', ('format', 'format_version', 'relucert_version', 'kind', 'family', 'd',
                   'partition', 'precision_bits', 'center', 'radius', 'statement', 'loss',
                   'classification', 'index', 'min_eigenvalue', 'components'),
         ('reason', 'input'))
    part, prec = header(doc, 'critical_point')
    if 'input' in doc:
        check_input(doc['input'], doc['d'])
    center = center_of(doc['center'], part, doc['family'], 'center')
    radius = decimal(doc['radius'], 'radius')
    loss = interval(doc['loss'], 'loss')
    cls = doc['classification']
    if cls not in ('strict_local_minimum', 'saddle', 'inconclusive'):
        raise Malformed(f"unknown classification {cls!r}")
    if 'reason' in doc and cls != 'inconclusive':
        raise Malformed("'reason' only goes with an inconclusive classification")
    if 'reason' not in doc and cls == 'inconclusive':
        raise Malformed("an inconclusive classification needs its 'reason'")
    if 'reason' in doc:
        typed(doc['reason'], str, 'reason')
    index = doc['index']
    if index is not None:
        count(index, 'index', MAX_MULTIPLICITY)
    me = keys(doc['min_eigenvalue'], 'min_eigenvalue',
              ('lo', 'hi', 'kind', 'block', 'dimension', 'separated', 'margin'))
    me_iv = interval({'lo': me['lo'], 'hi': me['hi']}, 'min_eigenvalue')
    me_kind = (me['kind'], block_of(me, 'min_eigenvalue', part.r))
    count(me['dimension'], 'min_eigenvalue.dimension', MAX_MULTIPLICITY)
    typed(me['separated'], bool, 'min_eigenvalue.separated')
    margin = None if me['margin'] is None else interval(me['margin'], 'min_eigenvalue.margin')
    comps = typed(doc['components'], list, 'components')
    stored = []
    for k, c in enumerate(comps):
        w = f'components[{k}]'
        keys(c, w, ('kind', 'block', 'dimension', 'copies', 'positive_definite', 'eigenvalues'))
        stored.append(dict(key=(c['kind'], block_of(c, w, part.r)),
                           dimension=count(c['dimension'], w + '.dimension', MAX_MULTIPLICITY),
                           copies=count(c['copies'], w + '.copies'),
                           pd=typed(c['positive_definite'], bool, w + '.positive_definite'),
                           eigs=[interval(e, f"{w}.eigenvalues[{j}]") for j, e in
                                 enumerate(typed(c['eigenvalues'], list, w + '.eigenvalues'))]))
    typed(doc['statement'], str, 'statement')
    if radius <= 0:
        raise Malformed("'radius' must be positive")

    # ---- the proofs
    ctx.prec = prec + GUARD
    cl = Claims()
    cp = CriticalPoint(part, center, radius)
    cl.ok()                                                   # existence and uniqueness
    cl.true('statement', doc['statement'] == statement_cp(part, prec),
            "refuted: differs from the statement the data imply")
    cl.encloses('loss', cp.loss, loss)
    mine = {(c.kind, c.blocks): c for c in cp.comps}
    keys_seen = [s['key'] for s in stored]
    cl.true('components', sorted(keys_seen) == sorted(mine) and len(set(keys_seen)) ==
            len(keys_seen),
            f"refuted: partition [{part.label()}] has the components "
            f"{[c.label() for c in cp.comps]}")
    for k, s in enumerate(stored):
        c = mine[s['key']]
        w = f"components[{k}] {c.kind}"
        cl.true(w + ' dimension', s['dimension'] == c.dimension,
                f"refuted: dimension is {c.dimension}, not {s['dimension']}")
        cl.true(w + ' copies', s['copies'] == c.copies,
                f"refuted: copies is {c.copies}, not {s['copies']}")
        cl.true(w + ' eigenvalues', len(s['eigs']) == c.copies,
                f"refuted: the block has {c.copies} eigenvalues, the file lists {len(s['eigs'])}")
        for j, (e, iv) in enumerate(zip(c.eigs, s['eigs'])):
            cl.encloses(f"{w} eigenvalue {j}", e, iv)
        # `true` states positive definiteness (refuted by a certainly negative eigenvalue);
        # `false` states nothing (the writer's Cholesky failed), as relucert verify reads it
        if s['pd']:
            cl.true(w + ' positive_definite', c.pd,
                    "refuted: the block has a certainly negative eigenvalue"
                    if any(e < 0 for e in c.eigs) else
                    "not re-proved: Cholesky pivots not all > 0")
    classification_claims(cl, cp, cls, index)
    # min_eigenvalue, by the rules relucert verify applies (docs/certificates.md): the
    # component names the smallest enclosure; it is a statement about the smallest Hessian
    # eigenvalue only under separation; a margin exists only under separation.
    mc, _, me_ball = cp.min
    both = me['separated'] and cp.separated
    cl.true('min_eigenvalue.kind', me_kind == (mc.kind, mc.blocks) and
            me['dimension'] == mc.dimension,
            f"{'refuted' if both else 'not re-proved'}: the smallest enclosure is on "
            f"{mc.label()} of dimension {mc.dimension}")
    cl.encloses('min_eigenvalue', me_ball, me_iv)
    if me['separated']:
        cl.true('min_eigenvalue.separated', cp.separated,
                "not re-proved: the smallest enclosure is not below all others")
    if margin is not None:
        cl.true('min_eigenvalue.margin', me['separated'],
                "refuted: stated without separation, where no margin is proved")
        cl.true('min_eigenvalue.margin', cp.margin is not None, "not re-proved: no margin")
        cl.encloses('min_eigenvalue.margin', cp.margin, margin)
    if cp.dense is not None:
        cl.true('dense cross-check', cp.dense == 'ok', f"failed: {cp.dense}")
    family_claim(cl, doc['family'], part, prec, center, radius)
    return cl.n


def family_claim(cl, family, part, prec, center, radius):
    """The family label: the family's point, located by the checker's own continuation and
    Newton (families.py), lies in the certified box (then the box's unique critical point is
    the family's); beyond 1000 radii it is another critical point (refuted); just outside,
    or not located, the label is not re-proved."""
    if family is None:
        return
    flip = FLIP.fullmatch(family)
    if flip:
        flip_claim(cl, int(flip.group(1)), part, center, radius)
        return
    try:
        x = families.locate(family, part.d, prec + GUARD)
    except families.NotLocated as e:
        raise Failure('family', f"not re-proved: family {family} not located ({e})")
    names = FAMILIES[family]
    for nm, p in zip(names, FAMILY_PARAMS):
        i = part.index[p]
        dist = abs(q_of(x[i]) - center[i])
        if dist > radius:
            word = 'refuted' if dist > 1000 * radius else 'not re-proved'
            raise Failure('family', f"{word}: the point of family {family} located by the "
                                    f"checker lies outside the certified box (coordinate {nm})")
    cl.ok()


def flip_claim(cl, p, part, center, radius):
    """flip(p)[#k] (relucert's two-block ladder): the p neurons of the last block are flipped
    (a negative diagonal entry, larger in absolute value than every other entry of the row)
    and, when p < d, the d - p neurons of the first block are not (a positive diagonal entry,
    larger than every other entry of the row): checked over the whole certified box, each
    coordinate within radius of the centre, in exact rationals. The index #k (relucert's order
    by loss among the points its seeded search found) is a name, not a claim, and is not
    re-proved; nor is it claimed that the search found every such point."""
    def row(a):
        others = [('O', a)] if part.sizes[a] >= 2 else []
        others += [('X', a, b) for b in range(part.r) if b != a]
        return center[part.index[('D', a)]], [center[part.index[q]] for q in others]
    wants = [(part.r - 1, True)] + ([(0, False)] if part.r == 2 else [])
    for a, flipped in wants:
        dia, rest = row(a)
        dominant = all(abs(dia) - radius > abs(v) + radius for v in rest)
        signed = dia + radius < 0 if flipped else dia - radius > 0
        if not (dominant and signed):
            # Violated at the centre itself by more than the radius: certainly false.
            at_centre = all(abs(dia) > abs(v) for v in rest) and ((dia < 0) == flipped)
            word = 'not re-proved' if at_centre else 'refuted'
            raise Failure('family', f"{word}: block {a + 1} of a flip({p}) point must have "
                                    f"{'flipped' if flipped else 'unflipped'} neurons")
    cl.ok()


def label(kind, blocks):
    """A component's name in reasons, as relucert writes it."""
    if kind == 'trivial':
        return 'trivial'
    if kind == 'std x std':
        return f"std x std (blocks {blocks[0] + 1},{blocks[1] + 1})"
    return f"{kind} (block {blocks[0] + 1})"


TYPES = {'min': 'strict local minimum', 'max': 'strict local maximum', 'saddle': 'saddle point'}
CANONICAL = {'std': lambda n: [[n - 1, 1]], 'n-2,1,1': lambda n: [[n - 2, 1, 1]]}


def check_tangency(doc):
    keys(doc, '', ('format', 'format_version', 'relucert_version', 'kind', 'family', 'd',
                   'partition', 'precision_bits', 'critical_point', 'arc', 'r', 'center',
                   'radius', 'statement', 'mu', 'loss', 'type', 'reason'))
    part, prec = header(doc, 'tangency_point')
    cpd = keys(doc['critical_point'], 'critical_point',
               ('center', 'radius', 'classification', 'loss'))
    c_center = center_of(cpd['center'], part, doc['family'], 'critical_point.center')
    c_radius = decimal(cpd['radius'], 'critical_point.radius')
    if c_radius <= 0:
        raise Malformed("'critical_point.radius' must be positive")
    c_loss = interval(cpd['loss'], 'critical_point.loss')
    if cpd['classification'] not in ('strict_local_minimum', 'saddle', 'inconclusive'):
        raise Malformed("unknown critical_point.classification")
    arc = keys(doc['arc'], 'arc', ('component', 'splits', 'isotropy', 'eigenvalue_index',
                                   'direction', 'mirror_pair'))
    ac = keys(arc['component'], 'arc.component', ('kind', 'block'))
    if ac['kind'] not in KINDS[1:]:
        raise Malformed("unknown arc.component.kind")
    if ac['kind'] not in KINDS[1:]:
        raise Malformed("unknown arc.component.kind")
    akey = (ac['kind'], block_of(ac, 'arc.component', part.r))
    splits = []
    for k, s in enumerate(typed(arc['splits'], list, 'arc.splits')):
        keys(s, f'arc.splits[{k}]', ('block', 'parts'))
        b = count(s['block'], f'arc.splits[{k}].block')
        parts = typed(s['parts'], list, 'split parts')
        if not (1 <= b <= part.r and len(parts) >= 2 and all(
                isinstance(x, int) and not isinstance(x, bool) and 1 <= x <= MAX_COUNT
                for x in parts)
                and sum(parts) == part.sizes[b - 1]) or any(b - 1 == a for a, _ in splits):
            raise Malformed(f"arc.splits[{k}] does not divide its block")
        splits.append((b - 1, parts))
    if not splits:
        raise Malformed("arc.splits is empty")
    fine, parent = split(part, splits)
    if not isinstance(arc['isotropy'], list) or not all(
            isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= MAX_COUNT
            for x in arc['isotropy']):
        raise Malformed("'arc.isotropy' must be a list of block sizes")
    j = count(arc['eigenvalue_index'], 'arc.eigenvalue_index')
    if arc['direction'] not in ('+', '-'):
        raise Malformed("arc.direction must be '+' or '-'")
    typed(arc['mirror_pair'], bool, 'arc.mirror_pair')
    r = decimal(doc['r'], 'r')
    cz = keys(doc['center'], 'center', ('theta', 'mu'))
    theta = center_of(cz['theta'], fine, None, 'center.theta') + [decimal(cz['mu'], 'center.mu')]
    radius = decimal(doc['radius'], 'radius')
    mu_iv, loss_iv = interval(doc['mu'], 'mu'), interval(doc['loss'], 'loss')
    if doc['type'] not in ('min', 'max', 'saddle', 'inconclusive'):
        raise Malformed("unknown type")
    typed(doc['statement'], str, 'statement')
    typed(doc['reason'], str, 'reason')
    if radius <= 0 or r <= 0:
        raise Malformed("'radius' and 'r' must be positive")

    # ---- the critical point
    ctx.prec = prec + GUARD
    cl = Claims()
    try:
        cp = CriticalPoint(part, c_center, c_radius)
    except Failure as f:
        raise Failure('critical_point.' + f.args[0], f.args[1])
    cl.ok()
    classification_claims(cl, cp, cpd['classification'], None, 'critical_point.')
    cl.encloses('critical_point.loss', cp.loss, c_loss)
    if cp.dense is not None:
        cl.true('critical_point dense cross-check', cp.dense == 'ok', f"failed: {cp.dense}")
    family_claim(cl, doc['family'], part, prec, c_center, c_radius)
    # ---- the tangency point
    cl.true('arc.isotropy', arc['isotropy'] == fine.sizes,
            f"refuted: the splits give the partition {fine.sizes}")
    t = tangency(cp, fine, parent, theta, radius, r)
    cl.ok()
    cl.encloses('mu', t['mu'], mu_iv)
    cl.encloses('loss', t['loss'], loss_iv)
    all_pos, all_neg, some_pos, some_neg = sphere_signs(fine, t)
    typ = doc['type']
    proved = 'min' if all_pos else 'max' if all_neg else \
        'saddle' if some_pos and some_neg else 'inconclusive'
    if typ == 'inconclusive':
        raise Failure('type', f"not re-proved: the file states inconclusive (it certifies no "
                              f"type; the checker proves {proved})")
    cl.true('type', typ == proved and typ != 'inconclusive',
            f"{'refuted' if proved != 'inconclusive' else 'not re-proved'}: the file says "
            f"{typ}, the checker proves {proved}")
    if part.d <= 12:
        got, nd = dense_sphere(fine, t), part.d ** 2
        cl.true('dense cross-check', got is not None and (
            got == (nd, 1) if typ == 'min' else got == (1, nd) if typ == 'max'
            else min(got) >= 2), f"failed: bordered dense Hessian has inertia {got}")
    if typ == 'saddle':
        m = re.fullmatch(r"H - mu I takes both signs on the tangent space \(positive on (.+), "
                         r"negative on (.+)\)", doc['reason'])
        labels = {label(kind, blocks) for kind, blocks, _, _ in component_list(fine)}
        cl.true('reason', m is not None and m.group(1) in labels and m.group(2) in labels,
                "refuted: not the reason a saddle states (positive on P, negative on N, naming "
                "two components)")
        cl.true('reason', m.group(1) in some_pos and m.group(2) in some_neg,
                "not re-proved: the named components do not carry the named signs")
    else:
        word = 'positive' if typ == 'min' else 'negative'
        cl.true('reason', doc['reason'] == f"H - mu I {word} definite on the tangent space",
                "refuted: not the reason the type implies")
    stmt = (f"The critical point C of critical_point exists (re-proved from its center and "
            f"radius). In the fixed space of partition [{fine.label()}] there is exactly one "
            f"point W with grad L(W) = mu (W - C) and |W - C|_F = r whose parameters and mu lie "
            f"within radius of center; mu and L(W) lie in the enclosures below, and L "
            f"restricted to the sphere S(C, r) has a {TYPES[typ]} at W. Computed in "
            f"{prec}-bit interval arithmetic with outward rounding.")
    cl.true('statement', doc['statement'] == stmt, "refuted: differs from the statement the "
                                                   "data imply")
    # ---- the arc labels: which component, eigenvalue and direction W - C follows
    comp = next((c for c in cp.comps if (c.kind, c.blocks) == akey), None)
    a = akey[1][0] if akey[1] else None
    canon = comp is not None and comp.kind in CANONICAL and \
        splits == [(a, p) for p in CANONICAL[comp.kind](part.sizes[a])]
    cl.true('arc.component', canon, "not re-proved: the checker handles std arcs split "
                                    "(n-1,1) and n-2,1,1 arcs split (n-2,1,1) only")
    y = comp.coordinates([x - c for x, c in zip(t['theta'], t['c'])])
    y2 = sum((x * x for x in y), arb(0))
    cl.true('arc.component', y2 > to_arb(r) ** 2 / 2,
            "not re-proved: less than half of |W - C|^2 lies in the component")
    ev = comp.eigs
    cl.true('arc.eigenvalue_index', 0 <= j < comp.copies,
            f"refuted: the component block has {comp.copies} eigenvalues")
    if comp.copies == 1 or j in (0, comp.copies - 1):
        yv = column(y)
        rq = (yv.transpose() * comp.B * yv)[0, 0] / y2
        ok = comp.copies == 1 and j == 0 or \
            (j == 0 and rq < (ev[0] + ev[1]) / 2) or \
            (j == comp.copies - 1 and j > 0 and rq > (ev[j - 1] + ev[j]) / 2)
    else:
        ok = False
    cl.true('arc.eigenvalue_index', ok,
            "not re-proved: the component part of W - C is not mostly on that eigenvector")
    if arc['mirror_pair']:
        cl.true('arc.mirror_pair', mirror(comp), "refuted: no symmetry negates the component")
        cl.true('arc.direction', arc['direction'] == '+', "refuted: a mirror pair is named '+'")
    else:
        yf = [sum((y[k] * comp.lines[k][q] / comp.scale[k] for k in range(len(y))), arb(0))
              for q in range(comp.fine.dim)]
        k3 = cubic(comp.fine, t['c'], yf)
        cl.true('arc.mirror_pair', not k3.contains(0),
                "not re-proved: the cubic along W - C is not certainly nonzero")
        cl.true('arc.direction', (k3 > 0) == (arc['direction'] == '+'),
                f"refuted: the cubic along W - C is {k3.str(5)}")
    return cl.n


# -------------------------------------------------------------------------------- main

def read_doc(path):
    """The file's JSON, read strictly: at most MAX_FILE_BYTES (+ 1 to tell), UTF-8, no
    repeated key, no NaN/Infinity, integers without '-0', strings of valid Unicode."""
    def no_repeats(pairs):
        if len({k for k, _ in pairs}) != len(pairs):
            seen = set()
            dup = next(k for k, _ in pairs if k in seen or seen.add(k))
            raise Malformed(f"duplicate key {cut(dup)!r}")
        return dict(pairs)

    def no_constant(name):
        raise Malformed(f"{name} is not JSON")

    def integer(text):
        if text == '-0':
            raise Malformed("'-0' is not an integer of the format")
        return int(text)

    with open(path, 'rb') as fh:
        if os.path.isfile(path) and os.fstat(fh.fileno()).st_size > MAX_FILE_BYTES:
            raise Malformed(f"larger than the limit of {MAX_FILE_BYTES} bytes (16 MiB) for a "
                            f"certificate file")
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise Malformed(f"larger than the limit of {MAX_FILE_BYTES} bytes (16 MiB) for a "
                        f"certificate file")
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        raise Malformed("not UTF-8 text")
    try:
        doc = json.loads(text, object_pairs_hook=no_repeats, parse_constant=no_constant,
                         parse_int=integer)
    except (json.JSONDecodeError, RecursionError, ValueError) as e:
        raise Malformed(f"not JSON ({cut(str(e))})")
    stack = [doc]
    while stack:
        x = stack.pop()
        items = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) \
            else ()
        for k, v in items:
            for t in (k, v):
                if isinstance(t, str):
                    try:
                        t.encode('utf-8')
                    except UnicodeEncodeError:
                        raise Malformed("a string holds an unpaired surrogate")
            if isinstance(v, (dict, list)):
                stack.append(v)
    return doc


def check_file(path):
    """(status, message, claims): status 'OK', 'FAIL' (refuted), 'INCONCLUSIVE' (not
    re-proved) or 'MALFORMED' (also unreadable)."""
    try:
        doc = read_doc(path)
    except OSError as e:
        return 'MALFORMED', f"unreadable ({e.strerror or e})", 0
    except Malformed as e:
        return 'MALFORMED', str(e), 0
    except MemoryError:
        return 'MALFORMED', "out of memory while reading", 0
    try:
        if not isinstance(doc, dict):
            raise Malformed("not a JSON object")
        kind = doc.get('kind')
        if kind == 'critical_point':
            n = check_critical(doc)
        elif kind == 'tangency_point':
            n = check_tangency(doc)
        else:
            raise Malformed(f"unknown or missing 'kind' {cut(kind)!r}")
        return 'OK', '', n
    except Malformed as e:
        return 'MALFORMED', str(e), 0
    except Failure as e:
        status = 'FAIL' if e.args[1].startswith('refuted') else 'INCONCLUSIVE'
        return status, f"{e.args[0]}: {e.args[1]}", 0
    except Exception as e:     # an input the checker cannot handle: nothing is proved
        return 'INCONCLUSIVE', f"not re-proved: {type(e).__name__}: {cut(str(e))}", 0


EXIT = {'OK': 0, 'FAIL': 1, 'MALFORMED': 2, 'INCONCLUSIVE': 3}
SEVERITY = {0: 0, 3: 1, 1: 2, 2: 3}          # 2 > 1 > 3 > 0, as relucert verify


def main(argv):
    as_json = '--json' in argv
    files = [a for a in argv if a != '--json']
    if not files:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    results, code = [], 0
    for path in files:
        status, msg, n = check_file(path)
        results.append(dict(file=path, status=status, message=msg, claims=n))
        if SEVERITY[EXIT[status]] > SEVERITY[code]:
            code = EXIT[status]
        if not as_json:
            print(f"OK {path} ({n} claims)" if status == 'OK' else
                  f"{status} {path}: {msg}", flush=True)
    if as_json:
        print(json.dumps(results, indent=2))
    return code


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except BaseException as e:      # never a traceback: one line, exit 2
        print(f"check.py: {type(e).__name__}: {cut(str(e))}", file=sys.stderr)
        sys.exit(2)
