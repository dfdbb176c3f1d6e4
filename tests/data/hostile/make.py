#!/usr/bin/env python3
"""Writes the shared hostile certificates of tests/hostile_certificates.rs: small edits of
shipped certificates (certificates/) and one inconclusive certificate written by relucert,
each with the outcome both `relucert verify` and tools/checker/check.py must give
(expected.txt: `<file> <verified|refuted|malformed|inconclusive>`).

    python3 tests/data/hostile/make.py [path/to/relucert [output directory]]

The files are committed; rerunning the script rewrites them identically. Inputs too
large to commit (an endless stream, files over the 16 MiB limit, a 1 MB version string,
a one-million-digit radius) are made by the test itself."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
CP = 'certificates/I/d20.json'                      # d > 12: no dense cross-check, fast
CP12 = 'certificates/I/d12.json'                    # the review's relabelled file
ARC = 'certificates/arcs/I-d20-std-18_1_1-j0-minus-r0.02.json'   # type min
KNOWN_FALSE = 'tests/data/known-false-II-d1000000000.json'


def load(rel):
    with open(os.path.join(ROOT, rel)) as fh:
        return json.load(fh)


def cases(relucert):
    """(name, outcome, document or text)."""
    out = []

    def add(name, outcome, doc):
        out.append((name, outcome, doc))

    def cp(rel=CP):
        return load(rel)

    def arc():
        return load(ARC)

    # honest files and weaker-but-true statements
    add('shipped-critical-point', 'verified', cp())
    add('shipped-tangency-point', 'verified', arc())
    doc = cp()
    doc['relucert_version'] = '99.0.0'            # an unknown writer version is accepted
    add('version-unknown-but-well-formed', 'verified', doc)
    doc = cp()
    doc['min_eigenvalue']['separated'] = False     # weaker: claims no separation
    doc['min_eigenvalue']['margin'] = None
    add('separated-false-without-margin', 'verified', doc)

    doc = cp()
    doc['components'][0]['positive_definite'] = False   # weaker: claims nothing
    add('positive-definite-false-on-a-definite-block', 'verified', doc)

    # labels and false claims: refuted
    doc = cp('certificates/II/d6.json')                 # a saddle of index 6 (n-2,1,1)
    n = next(c for c in doc['components'] if c['kind'] == 'n-2,1,1')
    n['positive_definite'] = True
    add('positive-definite-true-on-a-negative-block', 'refuted', doc)
    doc = cp(CP12)
    doc['family'] = 'II'
    add('family-II-on-an-I-point', 'refuted', doc)
    doc = arc()
    doc['family'] = 'II'
    add('arc-family-II-on-an-I-arc', 'refuted', doc)
    doc = arc()
    doc['reason'] = 'totally made up'
    add('arc-reason-made-up', 'refuted', doc)
    doc = arc()
    doc['reason'] = 'H - mu I negative definite on the tangent space'
    add('arc-reason-of-another-type', 'refuted', doc)
    doc = arc()
    doc['arc']['eigenvalue_index'] = 5
    add('arc-eigenvalue-index-beyond-the-block', 'refuted', doc)
    doc = cp()
    doc['min_eigenvalue']['separated'] = False     # margin kept: a margin needs separation
    add('margin-without-separation', 'refuted', doc)
    doc = cp()
    doc['statement'] = doc['statement'].replace('exactly one', 'one')
    add('statement-edited', 'refuted', doc)
    add('known-false-n-2-2-enclosure', 'refuted', load(KNOWN_FALSE))

    # claims of nothing: inconclusive
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'inc.json')
        subprocess.run([relucert, 'certify', '--family', 'IIsym', '--d', '1e12', '--prec', '64',
                        '-o', path], capture_output=True, check=False)
        with open(path) as fh:
            doc = json.load(fh)
    assert doc['classification'] == 'inconclusive', doc['classification']
    add('classification-inconclusive', 'inconclusive', doc)
    doc = arc()
    doc['type'] = 'inconclusive'
    doc['statement'] = doc['statement'].replace('strict local minimum', 'point of undecided type')
    add('arc-type-inconclusive', 'inconclusive', doc)
    doc = arc()
    doc['critical_point']['classification'] = 'inconclusive'
    add('arc-critical-point-inconclusive', 'inconclusive', doc)

    # the format: malformed
    for p in (53, 60, 8193):
        doc = cp()
        doc['precision_bits'] = p
        add(f'precision-{p}', 'malformed', doc)
    doc = cp()
    del doc['min_eigenvalue']['margin']['hi']
    add('margin-lo-only', 'malformed', doc)
    doc = cp()
    doc['center']['a'] = doc['center']['a'].replace('9', '\u0669', 1)   # Arabic-Indic nine
    add('center-arabic-indic-digit', 'malformed', doc)
    doc = cp()
    doc['loss']['lo'] = '\u0661'
    add('loss-arabic-indic-one', 'malformed', doc)
    doc = cp()
    doc['center']['a'] = ' ' + doc['center']['a']
    add('center-leading-space', 'malformed', doc)
    doc = cp()
    doc['radius'] = '1e-20000'
    add('radius-exponent-beyond-10000', 'malformed', doc)
    doc = cp()
    doc['radius'] = '0'
    add('radius-zero', 'malformed', doc)
    for name, v in (('r-zero', '0'), ('r-negative', '-0.02')):
        doc = arc()
        doc['r'] = v
        add(f'arc-{name}', 'malformed', doc)
    for name, v in (('negative', -1), ('1e30', 10 ** 30)):
        doc = arc()
        doc['arc']['eigenvalue_index'] = v
        add(f'arc-eigenvalue-index-{name}', 'malformed', doc)
    doc = arc()
    doc['arc']['splits'] = []
    add('arc-splits-empty', 'malformed', doc)
    doc = arc()
    doc['arc']['splits'] = doc['arc']['splits'] * 2
    add('arc-splits-one-block-twice', 'malformed', doc)
    for v in ('0.0.0-evil', '1.2', '01.2.3'):
        doc = cp()
        doc['relucert_version'] = v
        add(f'version-{v}', 'malformed', doc)
    doc = cp()
    doc['components'][1]['block'] = [1]
    add('block-one-as-a-list', 'malformed', doc)
    doc = cp()
    doc['components'][1]['copies'] += 2 ** 64      # equals the truth modulo 2^64
    add('copies-plus-2-to-the-64', 'malformed', doc)
    doc = cp()
    doc['reason'] = 'a reason on a decided classification'
    add('reason-on-a-minimum', 'malformed', doc)
    text = json.dumps(cp(), indent=2).replace('"index": 0', '"index": -0')
    add('index-minus-zero', 'malformed', text)
    text = json.dumps(cp(), indent=2).replace('"d": 20', '"d": NaN')
    add('d-nan-literal', 'malformed', text)
    text = json.dumps(cp(), indent=2).replace('"radius"', '"radius": "1e-50", "radius"')
    add('repeated-key', 'malformed', text)
    text = json.dumps(cp(), indent=2)
    add('truncated', 'malformed', text[:len(text) // 2])
    add('not-utf8', 'malformed', json.dumps(cp(), indent=2).encode().replace(
        b'"statement"', b'"st\xffatement"'))
    return out


def main():
    relucert = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'target', 'release',
                                                                  'relucert')
    out = sys.argv[2] if len(sys.argv) > 2 else HERE
    for f in os.listdir(out):
        if f.endswith('.json'):
            os.remove(os.path.join(out, f))
    lines = []
    for name, outcome, doc in cases(relucert):
        data = doc if isinstance(doc, bytes) else (
            doc if isinstance(doc, str) else json.dumps(doc, indent=2, ensure_ascii=False) + '\n'
        ).encode('utf-8')
        with open(os.path.join(out, name + '.json'), 'wb') as fh:
            fh.write(data)
        lines.append(f"{name}.json {outcome}\n")
    with open(os.path.join(out, 'expected.txt'), 'w') as fh:
        fh.write('# file outcome (both relucert verify and tools/checker/check.py); '
                 'written by make.py\n')
        fh.writelines(lines)
    print(f"wrote {len(lines)} hostile certificates to {out}")


if __name__ == '__main__':
    main()
