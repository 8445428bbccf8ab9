#!/usr/bin/env python3
"""Scores a `tifa corpus` (or baseline) run on a generated corpus against its planted ground truth.

usage: corpus_eval.py GEN_DIR OUT_DIR

GEN_DIR holds truth.jsonl (from examples/corpus_gen.rs); OUT_DIR holds pairs.jsonl and, for tifa,
documents.jsonl (near-duplicates are reported there as duplicate_of). Prints one JSON line:
planted, found, recall, reported, not_planted, not_planted_share, and not_planted_unexcused(_share):
the reported pairs that are not planted and whose documents share no source series (text the real
originals already shared is excused).
"""
import json, os, sys

gen, out = sys.argv[1], sys.argv[2]
name = lambda p: os.path.basename(p)
planted, series, sources = [], {}, {}
for line in open(os.path.join(gen, "truth.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    if "planted" in r:
        planted.append((r["planted"]["src"], r["planted"]["dst"], r["planted"]["kind"]))
    else:
        series[r["doc"]] = set(r["series"])
        sources[r["doc"]] = set(r["sources"])
rep = {}
docs_path = os.path.join(out, "documents.jsonl")
if os.path.exists(docs_path):
    docs = [json.loads(l) for l in open(docs_path, encoding="utf-8")]
    byid = {d["id"]: name(d["path"]) for d in docs}
    for d in docs:
        if d.get("duplicate_of") is not None:
            rep[name(d["path"])] = byid[d["duplicate_of"]]
root = lambda d: rep.get(d, d)
reported = set()
for line in open(os.path.join(out, "pairs.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    a, b = name(r["a"]["path"]), name(r["b"]["path"])
    reported.add(frozenset((a, b)))
# Planted pairs (and the pairs they imply through near-duplicates).
truth = set()
found = 0
by_kind = {}
for s, d, k in planted:
    truth.add(frozenset((s, d)))
    truth.add(frozenset((root(s), root(d))))
    ok = frozenset((s, d)) in reported or frozenset((root(s), root(d))) in reported or root(s) == root(d)
    found += ok
    t = by_kind.setdefault(k, [0, 0])
    t[0] += 1
    t[1] += ok
# Copies of copies: a document that got a copy from X, copied on to Y, links X and Y too.
near = {}
for s, d, _ in planted:
    near.setdefault(d, set()).add(s)
    near.setdefault(s, set()).add(d)
not_planted = [p for p in reported if p not in truth]
def excused(p):
    a, b = tuple(p)
    if series.get(a, set()) & series.get(b, set()):
        return True
    # Both took text from a third document.
    return bool(near.get(a, set()) & near.get(b, set()))
unexcused = [p for p in not_planted if not excused(p)]
n = max(len(reported), 1)
print(json.dumps({
    "planted": len(planted), "found": found, "recall": round(found / max(len(planted), 1), 4),
    "by_kind": {k: {"planted": v[0], "found": v[1]} for k, v in sorted(by_kind.items())},
    "reported": len(reported), "not_planted": len(not_planted),
    "not_planted_share": round(len(not_planted) / n, 4),
    "not_planted_unexcused": len(unexcused), "not_planted_unexcused_share": round(len(unexcused) / n, 4),
}))
