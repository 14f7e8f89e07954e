#!/usr/bin/env python3
"""Quote figures by `via` and by half, with the shared scorer's matching.

Usage: quotes_by_via.py SCORE_QUOTES.py GOLD.jsonl PRED.jsonl HALVES.tsv OUT.json

Called by bench/eval.lua (python3, standard library only). The overall
figures are score_quotes.score() itself. For the breakdown, the gold items
are matched again with the scorer's own functions (norm_text, key_hits,
speaker_ok) in the scorer's order, so every item gets matched / speaker
right; the totals of this walk are checked against score()'s and the
script fails if they differ. HALVES.tsv maps an article id to "A" or "B"
(bench/eval.lua decides the halves). Precision by half uses the scorer's
per-article counts.
"""
import importlib.util
import json
import sys


def load_scorer(path):
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def walk(sq, gold_rows, pred_rows):
    """Yield (gold item, matched, speaker_right, speaker_given) as score()
    decides them (speaker_given: the matched prediction names somebody)."""
    by_id, preds_by_id = {}, {}
    for g in gold_rows:
        by_id.setdefault(g["id"], []).append(g)
    for p in pred_rows:
        if p.get("id") in by_id:
            preds_by_id.setdefault(p["id"], []).append(p)
    for aid, golds in by_id.items():
        keys = {}
        for g in golds:
            k = sq.norm_text(g["key"])
            keys[k] = keys.get(k, False) or bool(g.get("whole"))
        hits_per_key = {}
        for p in preds_by_id.get(aid, []):
            for k in sq.key_hits(sq.norm_text(p.get("text") or ""), keys):
                hits_per_key.setdefault(k, []).append(p)
        used = {}
        for g in golds:
            k = sq.norm_text(g["key"])
            cands = hits_per_key.get(k, [])
            i = used.get(k, 0)
            matched = cands[i] if i < len(cands) else None
            used[k] = i + 1
            if g["kind"] == "not_quote":
                continue
            right = None
            answered = False
            if matched is not None and g.get("speaker") is not None:
                right = sq.speaker_ok(matched.get("speaker"), g)
                answered = bool(sq.norm_speaker(matched.get("speaker")))
            yield g, matched is not None, right, answered


def ratio(a, b):
    return a / b if b else 0.0


def main(argv):
    scorer, gold_path, pred_path, halves_path, out_path = argv[1:6]
    sq = load_scorer(scorer)
    gold = sq.load_jsonl(gold_path)
    pred = sq.load_jsonl(pred_path)
    half = {}
    with open(halves_path, encoding="utf-8") as f:
        for line in f:
            aid, h = line.rstrip("\n").split("\t")
            half[aid] = h
    res = sq.score(gold, pred)

    groups = {}

    def bucket(h, via):
        b = groups.setdefault(h, {}).setdefault(via, {
            "gold": 0, "recalled": 0, "speaker_scored": 0,
            "speaker_right": 0, "speaker_wrong": 0,
            "speaker_null_matched": 0})
        return b

    for g, matched, right, answered in walk(sq, gold, pred):
        via = g.get("via") or "none"
        for h in ("all", half.get(g["id"], "?")):
            for v in (via, "*"):
                b = bucket(h, v)
                b["gold"] += 1
                if matched:
                    b["recalled"] += 1
                    if right is None:
                        b["speaker_null_matched"] += 1
                    else:
                        b["speaker_scored"] += 1
                        b["speaker_right"] += int(right)
                        # a speaker given and not the gold one (none given
                        # is neither right nor wrong)
                        b["speaker_wrong"] += int(
                            not right and bool(answered))
    tot = groups["all"]["*"]
    n_rec = res["recalled"]["direct"] + res["recalled"]["phrase"]
    assert tot["recalled"] == n_rec, (tot, n_rec)
    assert tot["speaker_scored"] == res["speaker_scored"]
    assert tot["speaker_right"] == res["speaker_right"]

    out = {}
    for h, vias in groups.items():
        o = {"via": {}}
        for via, b in vias.items():
            b["recall"] = ratio(b["recalled"], b["gold"])
            b["speaker_accuracy"] = ratio(b["speaker_right"],
                                          b["speaker_scored"])
            b["speaker_wrong_rate"] = ratio(b["speaker_wrong"],
                                            b["speaker_scored"])
            if via == "*":
                o.update(b)
            else:
                o["via"][via] = b
        npred = ncorrect = 0
        for aid, art in res["per_article"].items():
            if h == "all" or half.get(aid) == h:
                npred += art["predictions"]
                ncorrect += art["correct"]
        o["predictions"] = npred
        o["predictions_correct"] = ncorrect
        o["precision"] = ratio(ncorrect, npred)
        o["f1"] = ratio(2 * o["precision"] * o["recall"],
                        o["precision"] + o["recall"])
        out[h] = o
    assert abs(out["all"]["precision"] - res["precision"]) < 1e-12
    assert abs(out["all"]["recall"] - res["recall"]) < 1e-12
    out["all"]["not_quote_predicted"] = res["not_quote_predicted"]
    out["all"]["not_quote"] = res["gold"]["not_quote"]
    out["all"]["predictions_unknown_id"] = res["predictions_unknown_id"]
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
