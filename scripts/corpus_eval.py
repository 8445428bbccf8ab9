#!/usr/bin/env python3
"""Scores a `tifa corpus` (or baseline) run on a generated corpus against its planted ground truth.

usage: corpus_eval.py GEN_DIR OUT_DIR [SRC_DIR]

GEN_DIR holds truth.jsonl (from examples/corpus_gen.rs); OUT_DIR holds pairs.jsonl and, for tifa,
documents.jsonl (near-duplicates are reported there as duplicate_of). SRC_DIR is the folder of real texts
the generator recombined (default ../shared/corpus/local-reports/txt). Prints one JSON line:

- planted, found, recall (by kind too): planted copy pairs reported (directly or through near-duplicates);
- planted_long, found_long, recall_long: the same over the copies holding at least one paragraph of
  LONG_PARA chars or more. A copy of one short line alone (a subtitle `——2021年2月1日在…会议上`, the report
  opening `现在，我代表市人民政府向大会报告工作…`, a glossary note) copies the genre's stock, which the tool
  classes as boilerplate on purpose, so it is reported apart. The generator now starts every copy at a
  body paragraph, so on corpora it makes the two measures are equal; they differ on older corpora;
- reported, not_planted(_share): reported pairs that are no planted pair;
- not_planted_unexcused(_share): of those, the pairs whose shared text the real originals did not
  already share. A reported pair is excused when one of its passages joins two paragraphs whose real
  origins share text: the same real paragraph reached both documents (a chain of planted copies), or the
  two real paragraphs have EXCUSE_CHARS content chars in common in runs of at least EXCUSE_RUN, in any
  order (stock text both originals hold, edited or reordered: a city rewording its province's sentence).
  Pairs without passages (a baseline) are checked paragraph by paragraph over the two documents.
  A pair left unexcused is one whose shared text no original holds: text the tool made up;
- not_planted_other_series(_share): the older, coarser measure: not planted and the two documents take
  no paragraph from a common locality (series). Two documents drawing on unrelated localities still
  share the genre's stock phrases, which this measure counts against the tool.
"""
import json, os, re, sys

LONG_PARA = 50
EXCUSE_RUN = 6
EXCUSE_CHARS = 12

gen, out = sys.argv[1], sys.argv[2]
src = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpus", "local-reports", "txt")
name = os.path.basename
planted, series, paras = [], {}, {}
for line in open(os.path.join(gen, "truth.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    if "planted" in r:
        planted.append((r["planted"]["src"], r["planted"]["dst"], r["planted"]["kind"]))
    else:
        series[r["doc"]] = set(r["series"])
        paras[r["doc"]] = r.get("paras", [])
rep = {}
docs_path = os.path.join(out, "documents.jsonl")
if os.path.exists(docs_path):
    docs = [json.loads(l) for l in open(docs_path, encoding="utf-8")]
    byid = {d["id"]: name(d["path"]) for d in docs}
    for d in docs:
        if d.get("duplicate_of") is not None:
            rep[name(d["path"])] = byid[d["duplicate_of"]]
root = lambda d: rep.get(d, d)
reported = {}
for line in open(os.path.join(out, "pairs.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    a, b = name(r["a"]["path"]), name(r["b"]["path"])
    reported[frozenset((a, b))] = (a, b, r.get("passages"))
# Planted pairs (and the pairs they imply through near-duplicates).
truth = set()
found = 0
long_planted = long_found = 0
by_kind = {}
for s, d, k in planted:
    truth.add(frozenset((s, d)))
    truth.add(frozenset((root(s), root(d))))
    ok = frozenset((s, d)) in reported or frozenset((root(s), root(d))) in reported or root(s) == root(d)
    found += ok
    copied = [p for p in paras.get(d, []) if p[2].startswith(s[:-4] + "|")]
    if not copied or any(p[1] - p[0] >= LONG_PARA for p in copied):
        long_planted += 1
        long_found += ok
    t = by_kind.setdefault(k, [0, 0])
    t[0] += 1
    t[1] += ok
not_planted = [p for p in reported if p not in truth]

# Exact excuse: where the shared text comes from in the real originals.
lines_cache = {}


def real_text(origin):
    """The canonical content chars of a real paragraph `file:line` (digits folded)."""
    if origin not in lines_cache:
        f, li = origin.rsplit(":", 1)
        if f not in lines_cache:
            with open(os.path.join(src, f), encoding="utf-8") as h:
                lines_cache[f] = h.read().split("\n")
        t = lines_cache[f][int(li)]
        lines_cache[origin] = re.sub(r"[0-9０-９]+", "0", re.sub(r"[^\w]", "", t))
    return lines_cache[origin]


def root_origin(o):
    """A paragraph's real origin and its pool round: `file:line@r` → (`file:line`, r)."""
    o = o.rsplit("|", 1)[-1]
    if "@" in o:
        o, r = o.rsplit("@", 1)
        return o, int(r)
    return o, 0


def shared_origin(pa, pb):
    (oa, ra), (ob, rb) = root_origin(pa), root_origin(pb)
    if (oa, ra) == (ob, rb):
        return True
    if ra != rb:  # enciphered differently: no real text in common
        return False
    ta, tb = real_text(oa), real_text(ob)
    grams = {tb[i:i + EXCUSE_RUN] for i in range(len(tb) - EXCUSE_RUN + 1)}
    covered = [False] * len(ta)
    for i in range(len(ta) - EXCUSE_RUN + 1):
        if ta[i:i + EXCUSE_RUN] in grams:
            covered[i:i + EXCUSE_RUN] = [True] * EXCUSE_RUN
    return sum(covered) >= EXCUSE_CHARS


def paras_in(doc, span):
    return [p[2] for p in paras.get(doc, []) if p[0] < span[1] and span[0] < p[1]]


def excused(p):
    a, b, passages = reported[p]
    if not paras.get(a) or not paras.get(b):
        return False
    if passages is None:  # a baseline: any two paragraphs of the pair
        pairs = [(x[2], y[2]) for x in paras[a] for y in paras[b]]
    else:
        pairs = [(x, y) for q in passages for x in paras_in(a, q["a"]) for y in paras_in(b, q["b"])]
    return any(shared_origin(x, y) for x, y in pairs)


unexcused = [p for p in not_planted if not excused(p)]
other_series = [p for p in not_planted if not (series.get(tuple(p)[0], set()) & series.get(tuple(p)[1], set()))]
n = max(len(reported), 1)
print(json.dumps({
    "planted": len(planted), "found": found, "recall": round(found / max(len(planted), 1), 4),
    "by_kind": {k: {"planted": v[0], "found": v[1]} for k, v in sorted(by_kind.items())},
    "planted_long": long_planted, "found_long": long_found,
    "recall_long": round(long_found / max(long_planted, 1), 4),
    "reported": len(reported), "not_planted": len(not_planted),
    "not_planted_share": round(len(not_planted) / n, 4),
    "not_planted_unexcused": len(unexcused), "not_planted_unexcused_share": round(len(unexcused) / n, 4),
    "not_planted_other_series": len(other_series),
    "not_planted_other_series_share": round(len(other_series) / n, 4),
}))
if os.environ.get("SHOW_UNEXCUSED"):
    for p in unexcused[: int(os.environ["SHOW_UNEXCUSED"])]:
        a, b, passages = reported[p]
        print(a, b, [(q["a"], q["b"], q.get("text", "")[:60]) for q in (passages or [])], file=sys.stderr)
