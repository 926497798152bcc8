#!/usr/bin/python3
"""Trains the steel-defects classifier (7 surface-defect classes, UCI Steel Plates Faults).

Split: sklearn train_test_split(test_size=0.2, stratify=class, random_state=42) of the rows of
steel-plates-train.csv; the hold-out row indices and the CSV's sha256 go into card.yaml
(`evaluation`), so the edge's replay and baseline.py score exactly the same rows.

Model selection uses the training part only: 5-fold stratified CV (seed 42) over a small grid of
GradientBoostingClassifier settings (n_estimators read off staged predictions), ExtraTrees and the
RandomForest(300) baseline; the candidate with the best CV macro-F1 (then CV accuracy) is refitted on the
whole training part, converted to ONNX by tree_onnx.py, checked against sklearn with the numpy ONNX
evaluator, and scored once on the hold-out, in the same run as the RandomForest(300) baseline. Because one
seed can flatter either side, both are also refitted with seeds 0-4 (SEEDS) and scored on the same hold-out;
the card and selection.json keep the worst and best of each.

Usage: /usr/bin/python3 models/steel-defects/train.py [--data ../shared/datasets/steel-plates/steel-plates-train.csv]
Writes steel-defects.onnx, card.yaml, reference.json, selection.json next to this script.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import itertools
import json
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import ExtraTreesClassifier, GradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from tree_onnx import to_onnx  # noqa: E402

SEED = 42
CLASSES = ["Pastry_Fault", "Z_Scratch_Fault", "K_Scatch_Fault", "Stains_Fault", "Dirtiness_Fault",
           "Bumps_Fault", "Other_Faults"]
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "datasets", "steel-plates",
                                             "steel-plates-train.csv"))
BASELINE_NAME = "RandomForestClassifier(n_estimators=300)"
SEEDS = (0, 1, 2, 3, 4)


def load(path: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    df = pd.read_csv(path)
    missing = [c for c in CLASSES if c not in df.columns]
    if missing:
        raise ValueError(f"steel-plates CSV '{path}': missing class columns {missing}")
    onehot = df[CLASSES].to_numpy()
    bad = np.where(onehot.sum(axis=1) != 1)[0]
    if len(bad):
        raise ValueError(f"steel-plates CSV '{path}': rows {bad[:5].tolist()} do not have exactly one class")
    feats = [c for c in df.columns if c not in CLASSES]
    return df[feats].to_numpy(dtype=np.float64), onehot.argmax(axis=1), feats


def split(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    idx = np.arange(len(y))
    tr, ho = train_test_split(idx, test_size=0.2, stratify=y, random_state=SEED)
    return np.sort(tr), np.sort(ho)


def baseline_model(seed: int = SEED) -> RandomForestClassifier:
    return RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=1)


def scores(y, p) -> dict:
    return {"accuracy": float(accuracy_score(y, p)), "macro_f1": float(f1_score(y, p, average="macro"))}


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def cross_validate(x: np.ndarray, y: np.ndarray) -> list[dict]:
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    folds = list(skf.split(x, y))
    out = []

    def record(name, params, preds):
        s = scores(y, preds)
        out.append({"name": name, "params": params, **s})
        print(f"cv {name} {json.dumps(params)}: acc {s['accuracy']:.4f} macro-F1 {s['macro_f1']:.4f}", flush=True)

    # gradient boosting: one fit per setting, n_estimators read off the staged predictions
    stages = (100, 200, 300)
    for depth, lr, sub in itertools.product((3, 4), (0.1, 0.05), (1.0, 0.8)):
        t0 = time.time()
        preds = {s: np.empty_like(y) for s in stages}
        for tr, va in folds:
            m = GradientBoostingClassifier(n_estimators=max(stages), max_depth=depth, learning_rate=lr,
                                           subsample=sub, random_state=SEED).fit(x[tr], y[tr])
            for i, p in enumerate(m.staged_predict(x[va]), start=1):
                if i in preds:
                    preds[i][va] = p
        for s in stages:
            record("GradientBoostingClassifier",
                   {"n_estimators": s, "max_depth": depth, "learning_rate": lr, "subsample": sub}, preds[s])
        print(f"  ({time.time() - t0:.0f}s)", flush=True)
    for mf in ("sqrt", 0.5):
        preds = np.empty_like(y)
        for tr, va in folds:
            preds[va] = ExtraTreesClassifier(n_estimators=300, max_features=mf, random_state=SEED).fit(
                x[tr], y[tr]).predict(x[va])
        record("ExtraTreesClassifier", {"n_estimators": 300, "max_features": mf}, preds)
    preds = np.empty_like(y)
    for tr, va in folds:
        preds[va] = baseline_model().fit(x[tr], y[tr]).predict(x[va])
    record("RandomForestClassifier", {"n_estimators": 300}, preds)
    return out


def make_model(c: dict, seed: int = SEED):
    kinds = {"GradientBoostingClassifier": GradientBoostingClassifier,
             "ExtraTreesClassifier": ExtraTreesClassifier, "RandomForestClassifier": RandomForestClassifier}
    return kinds[c["name"]](random_state=seed, **c["params"])


def seed_spread(build, x_tr, y_tr, x_ho, y_ho) -> dict:
    """Hold-out scores of build(seed) for every seed in SEEDS: each run, and the worst and best."""
    runs = [{"seed": s, **scores(y_ho, build(s).fit(x_tr, y_tr).predict(x_ho))} for s in SEEDS]
    print("  seeds:", json.dumps(runs), flush=True)
    return {"runs": runs, **{f"{k}_{agg.__name__}": float(agg(r[k] for r in runs))
                             for k in ("accuracy", "macro_f1") for agg in (min, max)}}


def check_onnx(path: str, model, x: np.ndarray) -> float:
    from onnx_numpy import OnnxNumpy
    out = OnnxNumpy(path).run({"input": x.astype(np.float32)})
    want_p = model.predict_proba(x)
    err = float(np.max(np.abs(out["probabilities"] - want_p)))
    mismatched = int((out["label"] != model.predict(x)).sum())
    print(f"onnx check: {len(x)} rows, max |p_onnx - p_sklearn| {err:.2e}, label mismatches {mismatched}",
          flush=True)
    if err > 1e-5 or mismatched:
        raise RuntimeError(f"exported graph '{path}' disagrees with sklearn (max diff {err}, "
                           f"{mismatched} labels)")
    return err


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Train the steel-defects classifier")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--out", default=HERE)
    a = ap.parse_args(argv)
    np.random.seed(SEED)
    x, y, feats = load(a.data)
    tr, ho = split(y)

    cv = cross_validate(x[tr], y[tr])
    best = max(cv, key=lambda c: (round(c["macro_f1"], 6), round(c["accuracy"], 6),
                                  c["name"] == "GradientBoostingClassifier"))
    print("chosen:", json.dumps(best), flush=True)

    model = make_model(best).fit(x[tr], y[tr])
    held = scores(y[ho], model.predict(x[ho]))
    base = scores(y[ho], baseline_model().fit(x[tr], y[tr]).predict(x[ho]))
    print("hold-out model:", json.dumps(held), "baseline:", json.dumps(base), flush=True)
    model_seeds = seed_spread(lambda s: make_model(best, s), x[tr], y[tr], x[ho], y[ho])
    base_seeds = seed_spread(baseline_model, x[tr], y[tr], x[ho], y[ho])
    target = {"macro_f1_at_or_above_baseline": held["macro_f1"] >= base["macro_f1"],
              "accuracy_at_or_above_baseline": held["accuracy"] >= base["accuracy"],
              "worst_model_seed_macro_f1_at_or_above_best_baseline_seed":
                  model_seeds["macro_f1_min"] >= base_seeds["macro_f1_max"]}
    print("target:", json.dumps(target), flush=True)

    onnx_path = os.path.join(a.out, "steel-defects.onnx")
    to_onnx(model, x.shape[1], onnx_path, doc=f"steel-defects: {best['name']} {json.dumps(best['params'])}")

    rng = np.random.default_rng(SEED)
    lo, hi = x[tr].min(axis=0), x[tr].max(axis=0)
    ref_in = (lo + rng.random((32, x.shape[1])) * (hi - lo)).astype(np.float32)
    check_onnx(onnx_path, model, np.concatenate([ref_in, x.astype(np.float32)]))
    ref_in64 = ref_in.astype(np.float64)
    with open(os.path.join(a.out, "reference.json"), "w", encoding="utf-8") as f:
        json.dump({"input_name": "input", "inputs": ref_in64.tolist(),
                   "outputs": {"label": [int(v) for v in model.predict(ref_in64)],
                               "probabilities": model.predict_proba(ref_in64).tolist()}}, f)
    with open(os.path.join(a.out, "selection.json"), "w", encoding="utf-8") as f:
        json.dump({"criterion": "5-fold stratified CV macro-F1 on the training part (then CV accuracy)",
                   "chosen": best, "candidates": cv, "holdout": held, "holdout_baseline": base,
                   "holdout_model_seeds": model_seeds, "holdout_baseline_seeds": base_seeds, "target": target},
                  f, indent=1)

    card = {
        "name": "steel-defects",
        "version": "1.0.0",
        "task": "classification",
        "onnx": "steel-defects.onnx",
        "input": {"name": "input", "dtype": "float32", "features": feats, "window": 1},
        "normalisation": {"kind": "none", "std_floor": 1e-6},
        "output": {"label": "label", "probabilities": "probabilities", "classes": CLASSES},
        "labels": {"class_columns": CLASSES},
        "training": {
            "script": "train.py",
            "data": (f"steel-plates-train.csv (UCI Steel Plates Faults, {len(y)} rows), the {len(tr)} rows "
                     "outside evaluation.holdout_rows; stratified 80/20 split, random_state 42; model "
                     f"{best['name']} {json.dumps(best['params'])} chosen by 5-fold stratified CV on the "
                     "training rows"),
            "seed": SEED,
            "trained_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        "metrics": {
            "holdout_accuracy": round(held["accuracy"], 4), "holdout_macro_f1": round(held["macro_f1"], 4),
            "baseline_holdout_accuracy": round(base["accuracy"], 4),
            "baseline_holdout_macro_f1": round(base["macro_f1"], 4),
            "cv_accuracy": round(best["accuracy"], 4), "cv_macro_f1": round(best["macro_f1"], 4),
            "holdout_macro_f1_seeds_min": round(model_seeds["macro_f1_min"], 4),
            "holdout_macro_f1_seeds_max": round(model_seeds["macro_f1_max"], 4),
            "baseline_holdout_macro_f1_seeds_min": round(base_seeds["macro_f1_min"], 4),
            "baseline_holdout_macro_f1_seeds_max": round(base_seeds["macro_f1_max"], 4),
            "holdout_count": int(len(ho)), "training_count": int(len(tr)),
        },
        "evaluation": {"data_sha256": sha256_of(a.data), "holdout_rows": [int(i) for i in ho],
                       "baseline": "baseline.py"},
    }
    import yaml
    with open(os.path.join(a.out, "card.yaml"), "w", encoding="utf-8") as f:
        f.write("# Generated by train.py; format: ../CARD-FORMAT.md\n")
        yaml.safe_dump(card, f, sort_keys=False, default_flow_style=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
