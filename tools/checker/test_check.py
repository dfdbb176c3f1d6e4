#!/usr/bin/env python3
"""Tests of the independent checker:  python3 tools/checker/test_check.py

Shipped certificates are accepted, the known-false one and tampered copies are refuted
(naming the claim), malformed input exits 2, and the model agrees with itself (Taylor
series vs closed-form derivatives, reduced vs dense loss)."""
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from flint import arb, arb_mat, arb_series, ctx  # noqa: E402

import check  # noqa: E402
from linalg import eigenvalues, inertia, positive_definite  # noqa: E402
from model import Partition, dense_all, dense_matrix, loss_derivatives, loss_value  # noqa: E402
from proofs import Component, component_list, dense_spectrum_check  # noqa: E402

CERTS = os.path.join(ROOT, 'certificates')
ARC = os.path.join(CERTS, 'arcs', 'II-d10-n-2_1_1-7_1_1_1-j0-pm-r0.01.json')
ARC_I = os.path.join(CERTS, 'arcs', 'I-d20-std-18_1_1-j0-minus-r0.02.json')
KNOWN_FALSE = os.path.join(ROOT, 'tests', 'data', 'known-false-II-d1000000000.json')


def load(rel):
    with open(os.path.join(CERTS, rel)) as fh:
        return json.load(fh)


def shift(s, by):
    """The decimal string s moved by the decimal `by`, written exactly to 60 places."""
    q = Fraction(s) + Fraction(by)
    return f"{'-' if q < 0 else ''}{int(abs(q) * 10 ** 60)}e-60"


class Tampered(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def run_doc(self, doc, text=None):
        path = os.path.join(self.dir.name, 'c.json')
        with open(path, 'w') as fh:
            fh.write(text if text is not None else json.dumps(doc, indent=2))
        return check.check_file(path)

    def assertFails(self, doc, claim, word=None, status='FAIL'):
        """FAIL: refuted (exit 1); INCONCLUSIVE: not re-proved (exit 3)."""
        got, msg, _ = self.run_doc(doc)
        self.assertEqual(got, status, msg)
        self.assertTrue(msg.startswith(claim), msg)
        if word:
            self.assertIn(word, msg)

    def assertMalformed(self, doc=None, text=None, why=''):
        status, msg, _ = self.run_doc(doc, text)
        self.assertEqual(status, 'MALFORMED', msg)
        self.assertIn(why, msg)

    # --- what must pass
    def test_accepts_shipped_sample(self):
        for rel in ('I/d6.json', 'II/d7.json', 'II/d1000.json', 'IIsym/d10.json', 'I/d5.json'):
            status, msg, n = check.check_file(os.path.join(CERTS, rel))
            self.assertEqual((status, msg), ('OK', ''), rel)
            self.assertGreater(n, 20, rel)
        for path in (ARC, ARC_I):
            self.assertEqual(check.check_file(path)[:2], ('OK', ''), path)

    def test_untampered_copy_passes(self):
        """The tampering tests below start from this file: it passes as written."""
        doc = load('II/d10.json')
        self.assertEqual(self.run_doc(doc)[:2], ('OK', ''))
        c = doc['center']             # the same point without a family: layout names
        doc['family'] = None
        doc['center'] = {'D1': c['a'], 'O1': c['b'], 'X12': c['c'], 'D2': c['f'], 'X21': c['e']}
        self.assertEqual(self.run_doc(doc)[:2], ('OK', ''))

    def test_cli_exit_codes_and_lines(self):
        good = os.path.join(CERTS, 'II', 'd1000.json')
        p = subprocess.run([sys.executable, os.path.join(HERE, 'check.py'), good],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r'^OK .*d1000\.json \(\d+ claims\)\n$')
        p = subprocess.run([sys.executable, os.path.join(HERE, 'check.py'), good, KNOWN_FALSE],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn('FAIL ' + KNOWN_FALSE + ': components[2] n-2,2 eigenvalue 0', p.stdout)
        bad = os.path.join(self.dir.name, 'bad.json')
        with open(bad, 'w') as fh:
            fh.write('{"format": ')
        p = subprocess.run([sys.executable, os.path.join(HERE, 'check.py'), '--json', bad],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2, p.stdout)
        self.assertNotIn('Traceback', p.stdout + p.stderr)
        self.assertEqual(json.loads(p.stdout)[0]['status'], 'MALFORMED')

    # --- what must fail
    def test_known_false_n22_enclosure(self):
        status, msg, _ = check.check_file(KNOWN_FALSE)
        self.assertEqual(status, 'FAIL')
        self.assertTrue(msg.startswith('components[2] n-2,2 eigenvalue 0: refuted'), msg)
        self.assertIn('0.4091448775677849291954916081879597044', msg)    # the true value

    def test_shifted_loss(self):
        doc = load('II/d10.json')
        doc['loss'] = {k: shift(v, '1e-30') for k, v in doc['loss'].items()}
        self.assertFails(doc, 'loss', 'refuted')

    def test_moved_eigenvalue(self):
        doc = load('II/d10.json')
        e = doc['components'][1]['eigenvalues'][2]
        doc['components'][1]['eigenvalues'][2] = {k: shift(v, '-1e-35') for k, v in e.items()}
        self.assertFails(doc, 'components[1] std eigenvalue 2', 'refuted')

    def test_flipped_classification(self):
        doc = load('II/d10.json')
        doc['classification'] = 'saddle'
        self.assertFails(doc, 'classification', 'refuted')
        doc = load('II/d6.json')                      # a saddle of index 6
        doc['index'] = 5
        self.assertFails(doc, 'index', 'refuted')

    def test_wrong_dimension(self):
        doc = load('II/d10.json')
        doc['components'][3]['dimension'] += 1
        self.assertFails(doc, 'components[3] n-2,1,1 dimension', 'refuted')
        doc = load('II/d10.json')
        doc['min_eigenvalue']['kind'] = 'std'
        self.assertFails(doc, 'min_eigenvalue.kind', 'refuted')

    def test_wrong_positive_definite_and_margin(self):
        doc = load('II/d6.json')
        doc['components'][3]['positive_definite'] = True
        self.assertFails(doc, 'components[3] n-2,1,1 positive_definite')
        doc = load('II/d10.json')
        doc['min_eigenvalue']['margin'] = {k: shift(v, '1e-20') for k, v in
                                           doc['min_eigenvalue']['margin'].items()}
        self.assertFails(doc, 'min_eigenvalue.margin', 'refuted')

    def test_moved_centre(self):
        doc = load('II/d10.json')
        doc['center']['a'] = shift(doc['center']['a'], '1e-40')
        self.assertFails(doc, 'existence', 'Krawczyk', 'INCONCLUSIVE')

    def test_enlarged_radius(self):
        doc = load('II/d10.json')
        doc['radius'] = '1e-3'
        self.assertFails(doc, 'existence', 'Krawczyk', 'INCONCLUSIVE')

    def test_statement(self):
        doc = load('II/d10.json')
        doc['statement'] = doc['statement'].replace('exactly one', 'one')
        self.assertFails(doc, 'statement', 'refuted')

    def test_tampered_tangency(self):
        with open(ARC) as fh:
            base = json.load(fh)
        doc = copy.deepcopy(base)
        doc['mu'] = {k: shift(v, '1e-30') for k, v in doc['mu'].items()}
        self.assertFails(doc, 'mu', 'refuted')
        doc = copy.deepcopy(base)
        doc['type'] = 'max'
        self.assertFails(doc, 'type', 'refuted')
        doc = copy.deepcopy(base)
        doc['critical_point']['classification'] = 'saddle'
        self.assertFails(doc, 'critical_point.classification', 'refuted')
        doc = copy.deepcopy(base)
        doc['center']['theta']['X13'] = shift(doc['center']['theta']['X13'], '1e-20')
        self.assertFails(doc, 'tangency existence', 'Krawczyk', 'INCONCLUSIVE')
        with open(ARC_I) as fh:
            doc = json.load(fh)
        doc['arc']['direction'] = '+'
        self.assertFails(doc, 'arc.direction', 'refuted')

    def test_identify_input_object(self):
        """A certificate of `relucert identify` carries `input`; its form is checked."""
        doc = load('II/d10.json')
        doc['input'] = {'source': 'w.npy', 'neurons': 'rows',
                        'permutation': list(range(9, -1, -1)),
                        'neuron_permutation': list(range(10)), 'sha256': '0' * 64}
        self.assertEqual(self.run_doc(doc)[:2], ('OK', ''))
        bad = copy.deepcopy(doc)
        bad['input']['permutation'][0] = 1
        self.assertMalformed(bad, why='input.permutation is not a permutation')
        bad = copy.deepcopy(doc)
        bad['input']['neurons'] = 'cols'
        self.assertMalformed(bad, why='input.neurons')
        bad = copy.deepcopy(doc)
        bad['input']['sha256'] = 'X' * 64
        self.assertMalformed(bad, why='sha256')

    # --- malformed input: exit 2, no traceback
    def test_malformed(self):
        doc = load('II/d10.json')
        self.assertMalformed(text=json.dumps(doc)[:-5], why='not JSON')
        extra = dict(doc, extra_key=1)
        self.assertMalformed(extra, why="unknown key 'extra_key'")
        missing = dict(doc)
        del missing['loss']
        self.assertMalformed(missing, why="missing key 'loss'")
        wrong = dict(doc, d='10')
        self.assertMalformed(wrong, why="'d'")
        nested = copy.deepcopy(doc)
        nested['components'][0]['eigenvalues'][0]['hi'] = 1.5
        self.assertMalformed(nested, why='decimal')
        nested = copy.deepcopy(doc)
        del nested['min_eigenvalue']['separated']
        self.assertMalformed(nested, why="missing key 'min_eigenvalue.separated'")
        self.assertMalformed(dict(doc, radius='1e99999999'), why='decimal')
        self.assertMalformed(text='[1, 2]', why='object')
        text = json.dumps(doc, indent=1).replace('"radius": "1e-53"',
                                                 '"radius": "1e-53", "radius": "1e-50"')
        self.assertMalformed(text=text, why="duplicate key 'radius'")


class Rules(unittest.TestCase):
    """The format rules shared with relucert verify (docs/certificates.md), the family
    label, inconclusive statements, reasons, limits and exit codes."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, doc=None, text=None, data=None, name='c.json'):
        path = os.path.join(self.dir.name, name)
        if data is None:
            data = (text if text is not None else json.dumps(doc)).encode('utf-8')
        with open(path, 'wb') as fh:
            fh.write(data)
        return path

    def status(self, doc=None, text=None, data=None):
        return check.check_file(self.write(doc, text, data))[:2]

    def cli(self, *paths):
        # a reader that does not stop at the limit fails here instead of hanging
        p = subprocess.run([sys.executable, os.path.join(HERE, 'check.py'), *paths],
                           capture_output=True, text=True, timeout=300)
        self.assertNotIn('Traceback', p.stdout + p.stderr)
        return p.returncode, p.stdout + p.stderr

    def test_format_rules_are_those_of_verify(self):
        base = load('I/d20.json')
        with open(ARC_I) as fh:
            arc = json.load(fh)

        def edit(doc, f):
            doc = copy.deepcopy(doc)
            f(doc)
            return doc

        malformed = {
            'precision 53': edit(base, lambda d: d.update(precision_bits=53)),
            'precision 63': edit(base, lambda d: d.update(precision_bits=63)),
            'precision 8193': edit(base, lambda d: d.update(precision_bits=8193)),
            'margin lo only': edit(base, lambda d: d['min_eigenvalue']['margin'].pop('hi')),
            'Arabic-Indic digit': edit(base, lambda d: d['center'].update(
                a=d['center']['a'].replace('9', '\u0669', 1))),
            'leading space': edit(base, lambda d: d.update(radius=' ' + d['radius'])),
            'exponent 10001': edit(base, lambda d: d.update(radius='1e-10001')),
            'long decimal': edit(base, lambda d: d.update(radius='0.' + '0' * 10000 + '1')),
            'version suffix': edit(base, lambda d: d.update(relucert_version='0.0.0-evil')),
            'version two parts': edit(base, lambda d: d.update(relucert_version='1.2')),
            'block as a list': edit(base, lambda d: d['components'][1].update(block=[1])),
            'copies + 2^64': edit(base, lambda d: d['components'][1].update(
                copies=d['components'][1]['copies'] + 2 ** 64)),
            'radius 0': edit(base, lambda d: d.update(radius='0')),
            'inconclusive without reason': edit(base, lambda d: d.update(
                classification='inconclusive', index=None)),
            'eigenvalue_index -1': edit(arc, lambda d: d['arc'].update(eigenvalue_index=-1)),
            'eigenvalue_index 1e30': edit(arc, lambda d: d['arc'].update(
                eigenvalue_index=10 ** 30)),
            'r 0': edit(arc, lambda d: d.update(r='0')),
            'splits empty': edit(arc, lambda d: d['arc'].update(splits=[])),
        }
        for what, doc in malformed.items():
            status, msg = self.status(doc)
            self.assertEqual(status, 'MALFORMED', f"{what}: {msg}")
        for what, text in {
                'NaN': json.dumps(base).replace('"d": 20', '"d": NaN'),
                '-0': json.dumps(base).replace('"index": 0', '"index": -0'),
                'lone surrogate': json.dumps(base).replace('"I"', '"\\ud800"'),
        }.items():
            self.assertEqual(self.status(text=text)[0], 'MALFORMED', what)
        # accepted: the bounds themselves, an unknown but well-formed version
        self.assertEqual(self.status(edit(base, lambda d: d.update(
            relucert_version='99.0.0'))), ('OK', ''))
        self.assertTrue(check.decimal('1e-10000', 'x') == Fraction(1, 10 ** 10000))
        self.assertEqual(check.count(2 ** 64 - 1, 'x'), 2 ** 64 - 1)

    def test_family_label_is_re_proved(self):
        doc = load('I/d12.json')
        self.assertEqual(self.status(doc), ('OK', ''))
        doc['family'] = 'II'
        status, msg = self.status(doc)
        self.assertEqual(status, 'FAIL', msg)
        self.assertTrue(msg.startswith('family: refuted'), msg)
        # the located point is the certified one, to far below the radius
        import families
        for fam, d in (('I', 12), ('II', 1000), ('IIsym', 7)):
            doc = load(f'{fam}/d{d}.json')
            x = families.locate(fam, d, doc['precision_bits'] + 64)
            part = families.family_partition(fam, d)
            names = check.FAMILIES[fam]
            for nm, p in zip(names, check.FAMILY_PARAMS):
                dist = abs(check.q_of(x[part.index[p]]) - Fraction(doc['center'][nm]))
                self.assertLess(dist, Fraction(doc['radius']) / 10 ** 6, (fam, d, nm))

    def test_a_family_not_located_is_not_re_proved(self):
        import families
        saved = families.locate
        try:
            def fail(*_):
                raise families.NotLocated('no convergence')
            families.locate = fail
            status, msg = self.status(load('I/d20.json'))
        finally:
            families.locate = saved
        self.assertEqual(status, 'INCONCLUSIVE', msg)
        self.assertTrue(msg.startswith('family: not re-proved'), msg)

    def test_inconclusive_statements_exit_3(self):
        path = os.path.join(ROOT, 'tests', 'data', 'hostile', 'classification-inconclusive.json')
        self.assertEqual(check.check_file(path)[0], 'INCONCLUSIVE')
        code, out = self.cli(os.path.join(CERTS, 'I', 'd20.json'), path)
        self.assertEqual(code, 3, out)
        with open(ARC_I) as fh:
            doc = json.load(fh)
        doc['type'] = 'inconclusive'
        doc['statement'] = doc['statement'].replace('strict local minimum',
                                                    'point of undecided type')
        self.assertEqual(self.status(doc)[0], 'INCONCLUSIVE')

    def test_reason_must_be_the_one_the_type_states(self):
        with open(ARC_I) as fh:
            base = json.load(fh)
        for reason in ('totally made up', 'H - mu I negative definite on the tangent space',
                       'H - mu I takes both signs on the tangent space (positive on std '
                       '(block 1), negative on trivial)'):
            doc = dict(base, reason=reason)
            status, msg = self.status(doc)
            self.assertEqual(status, 'FAIL', msg)
            self.assertTrue(msg.startswith('reason: refuted'), msg)

    def test_size_limit_endless_input_and_no_traceback(self):
        big = self.write(text='', name='big.json')
        os.truncate(big, check.MAX_FILE_BYTES + 1)
        status, msg, _ = check.check_file(big)
        self.assertEqual(status, 'MALFORMED')
        self.assertIn('16 MiB', msg)
        fifo = os.path.join(self.dir.name, 'endless.json')
        os.mkfifo(fifo)
        sent = []

        def feed():
            n = 0
            try:
                with open(fifo, 'wb') as w:
                    while True:
                        w.write(b'[' * 65536)
                        n += 65536
            except (BrokenPipeError, OSError):
                sent.append(n)
        import threading
        t = threading.Thread(target=feed)
        t.start()
        code, out = self.cli(fifo)
        t.join()
        self.assertEqual(code, 2, out)
        self.assertIn('16 MiB', out)
        self.assertLessEqual(sent[0], check.MAX_FILE_BYTES + (1 << 20))
        for data in (b'\xff\xfe', b'[' * 100000, b'{"kind": "critical_point"}', b''):
            code, out = self.cli(self.write(data=data))
            self.assertEqual(code, 2, out)
        code, out = self.cli(self.dir.name)               # a directory
        self.assertEqual(code, 2, out)
        self.assertEqual(len(out.strip().splitlines()), 1, out)

    def test_exit_code_is_the_most_severe_as_in_verify(self):
        ok = os.path.join(CERTS, 'I', 'd20.json')
        inc = os.path.join(ROOT, 'tests', 'data', 'hostile', 'classification-inconclusive.json')
        bad = self.write(text='{')
        self.assertEqual(self.cli(ok)[0], 0)
        self.assertEqual(self.cli(ok, inc)[0], 3)
        self.assertEqual(self.cli(inc, KNOWN_FALSE)[0], 1)
        self.assertEqual(self.cli(bad, KNOWN_FALSE, inc)[0], 2)


class Model(unittest.TestCase):
    """The two derivative paths and the two loss formulas agree (so neither is wrong in a
    way the other would not catch)."""

    def setUp(self):
        ctx.prec = 128
        self.rng = random.Random(7)

    def point(self, part):
        return [arb(self.rng.uniform(-0.8, 0.8)) for _ in part.params]

    def test_derivatives_match_taylor_series(self):
        for sizes in ([9, 1], [5, 1, 1, 1], [3, 2, 2], [4]):
            part = Partition(sizes)
            th, u = self.point(part), self.point(part)
            L, g, H = loss_derivatives(part, th)
            one = arb_series([1], prec=3)
            c = loss_value(part, [arb_series([a, b], prec=3) for a, b in zip(th, u)], one).coeffs()
            gu = sum((x * y for x, y in zip(g, u)), arb(0))
            uHu = sum((u[i] * H[i, j] * u[j] for i in range(part.dim) for j in range(part.dim)),
                      arb(0))
            for a, b in ((c[0], L), (c[1], gu), (2 * c[2], uHu)):
                self.assertLess(abs((a - b).mid()), 1e-25, sizes)

    def test_reduced_and_dense_agree(self):
        part = Partition([3, 2, 1])
        th = self.point(part)
        L, g, H = loss_derivatives(part, th)
        Ld, gd, Hd = dense_all(dense_matrix(part, th))
        self.assertLess(abs((L - Ld).mid()), 1e-25)
        blk = [a for a in range(part.r) for _ in range(part.sizes[a])]
        for (i, j) in [(0, 0), (0, 1), (0, 3), (3, 5), (5, 5), (5, 0)]:
            a, b = blk[i], blk[j]
            p = part.index[('D', a) if i == j else ('O', a) if a == b else ('X', a, b)]
            total = sum((gd[k][l] for k in range(6) for l in range(6)
                         if part.index[('D', blk[k]) if k == l else ('O', blk[k])
                                       if blk[k] == blk[l] else ('X', blk[k], blk[l])] == p),
                        arb(0))
            self.assertLess(abs((total - g[p]).mid()), 1e-25)
        self.assertTrue(all(abs((Hd[i, j] - Hd[j, i]).mid()) < 1e-25
                            for i in range(36) for j in range(36)))

    def test_component_dimensions_add_up(self):
        for sizes in ([9, 1], [10], [3, 2, 1], [4, 1, 1, 2], [999999999, 1], [2, 2]):
            part = Partition(sizes)
            self.assertEqual(sum(d * c for _, _, d, c in component_list(part)), part.d ** 2)

    def test_blocks_are_the_dense_spectrum_at_any_point_of_fix(self):
        """The Hessian commutes with the isotropy at every point of Fix, critical or not:
        at random points the block eigenvalues (times dimension) are the dense spectrum,
        including std x std and blocks of sizes 1, 2, 3."""
        for sizes in ([3, 2, 1], [2, 2, 1], [4, 2], [5, 1]):
            part = Partition(sizes)
            th = [x * arb('0.3') + (1 if p[0] == 'D' else 0)
                  for x, p in zip(self.point(part), part.params)]
            comps = []
            for kind, blocks, dim, copies in component_list(part):
                c = Component(part, kind, blocks, dim, copies)
                c.eigs = eigenvalues(c.block(th))
                comps.append(c)
            if sizes != [5, 1]:
                self.assertIn('std x std', [c.kind for c in comps])
            _, _, H = dense_all(dense_matrix(part, th))
            self.assertEqual(dense_spectrum_check(H, comps), 'ok', sizes)

    def test_linear_algebra(self):
        A = arb_mat([[4, 1, 0], [1, 3, 1], [0, 1, 2]])
        ev = eigenvalues(A)
        self.assertTrue(ev[0].contains(arb('1.267949192431122706472553658494127633057')))
        self.assertTrue(positive_definite(A))
        self.assertFalse(positive_definite(A - arb_mat([[2, 0, 0], [0, 2, 0], [0, 0, 2]])))
        shifted = lambda s: A - arb_mat([[s, 0, 0], [0, s, 0], [0, 0, s]])
        self.assertEqual(inertia(shifted(arb(2.5))), (2, 1))       # eigenvalues 1.27, 3, 4.73
        self.assertIsNone(inertia(shifted(arb(3))))                 # singular: undecided


if __name__ == '__main__':
    unittest.main(verbosity=2)
