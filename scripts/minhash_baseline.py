#!/usr/bin/env python3
"""MinHash-LSH baseline (datasketch) on a folder of .txt files: writes OUT_DIR/pairs.jsonl.

usage: minhash_baseline.py DOCS_DIR OUT_DIR [THRESHOLD]

Each file is one document; shingles are char 5-grams of the text without white space; 128
permutations; LSH at Jaccard THRESHOLD (default 0.5): the usual near-duplicate set-up.
"""
import json, os, sys
from datasketch import MinHash, MinHashLSH

docs_dir, out = sys.argv[1], sys.argv[2]
threshold = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
names = sorted(f for f in os.listdir(docs_dir) if f.endswith(".txt"))
lsh = MinHashLSH(threshold=threshold, num_perm=128)
sigs = {}
for f in names:
    t = "".join(open(os.path.join(docs_dir, f), encoding="utf-8", errors="replace").read().split())
    m = MinHash(num_perm=128)
    m.update_batch([t[i:i + 5].encode("utf-8") for i in range(max(len(t) - 4, 0))])
    sigs[f] = m
    lsh.insert(f, m)
os.makedirs(out, exist_ok=True)
pairs = set()
for f, m in sigs.items():
    for g in lsh.query(m):
        if g != f:
            pairs.add(tuple(sorted((f, g))))
with open(os.path.join(out, "pairs.jsonl"), "w", encoding="utf-8") as w:
    for a, b in sorted(pairs):
        w.write(json.dumps({"a": {"path": a}, "b": {"path": b}}) + "\n")
print(len(pairs), "pairs", file=sys.stderr)
