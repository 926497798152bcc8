#!/usr/bin/env python3
"""Where the onnxruntime Python package is installed (not on the build machine), runs every model
folder's ONNX graph on its reference.json inputs and compares with the reference outputs (1e-4,
labels exactly). Needs only numpy, onnxruntime and the standard library (no yaml: names come from
reference.json). Exit code 1 on any difference, 2 when onnxruntime is missing.

With --skab DIR it also replays SKAB's visible fault families through pump-anomaly/pipeline.py with ONNX
Runtime as the scorer (needs pandas and yaml), and with --steel CSV it scores the steel-defects
hold-out rows of card.yaml with ONNX Runtime.

Usage: python3 models/ort_check.py [--skab ../shared/datasets/skab] [--steel .../steel-plates-train.csv]
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def replay_skab(ort, root: str) -> None:
    import yaml
    sys.path.insert(0, os.path.join(HERE, "pump-anomaly"))
    import pipeline as P
    folder = os.path.join(HERE, "pump-anomaly")
    with open(os.path.join(folder, "card.yaml"), encoding="utf-8") as f:
        card = yaml.safe_load(f)
    sess = ort.InferenceSession(os.path.join(folder, card["onnx"]), providers=["CPUExecutionProvider"])

    def score(frames):
        return sess.run([card["output"]["score"]], {card["input"]["name"]: frames})[0]

    dfs = {n: P.read_skab(os.path.join(root, n)) for names in P.experiment_files(root).values() for n in names}
    per_file, total = P.evaluate(dfs, card, score)
    for n, c in per_file.items():
        print(json.dumps({"file": n, **c}))
    print("pump-anomaly replay with onnxruntime:", json.dumps(total))


def steel_holdout(ort, csv: str) -> None:
    import pandas as pd
    import yaml
    folder = os.path.join(HERE, "steel-defects")
    with open(os.path.join(folder, "card.yaml"), encoding="utf-8") as f:
        card = yaml.safe_load(f)
    df = pd.read_csv(csv)
    rows = card["evaluation"]["holdout_rows"]
    x = df[card["input"]["features"]].to_numpy(dtype=np.float32)[rows]
    y = df[card["labels"]["class_columns"]].to_numpy().argmax(axis=1)[rows]
    sess = ort.InferenceSession(os.path.join(folder, card["onnx"]), providers=["CPUExecutionProvider"])
    label = sess.run([card["output"]["label"]], {card["input"]["name"]: x})[0]
    acc = float((label == y).mean())
    f1s = []
    for c in range(len(card["output"]["classes"])):
        tp = int(((label == c) & (y == c)).sum())
        fp = int(((label == c) & (y != c)).sum())
        fn = int(((label != c) & (y == c)).sum())
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    print("steel-defects hold-out with onnxruntime:", json.dumps(
        {"rows": len(rows), "accuracy": acc, "macro_f1": float(np.mean(f1s))}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skab")
    ap.add_argument("--steel")
    a = ap.parse_args()
    try:
        import onnxruntime as ort
    except ImportError:
        print("ort_check: the onnxruntime Python package is not installed")
        return 2
    print(f"onnxruntime {ort.__version__}")
    failed = 0
    for ref_path in sorted(glob.glob(os.path.join(HERE, "*", "reference.json"))):
        folder = os.path.dirname(ref_path)
        name = os.path.basename(folder)
        with open(ref_path, encoding="utf-8") as f:
            ref = json.load(f)
        sess = ort.InferenceSession(os.path.join(folder, name + ".onnx"), providers=["CPUExecutionProvider"])
        x = np.asarray(ref["inputs"], dtype=np.float32)
        outs = sess.run(list(ref["outputs"]), {ref["input_name"]: x})
        for (k, want), have in zip(ref["outputs"].items(), outs):
            want = np.asarray(want)
            have = np.asarray(have).reshape(want.shape)
            if want.dtype.kind in "iu":
                bad = int((have != want).sum())
                ok = bad == 0
                print(f"{'ok  ' if ok else 'FAIL'} {name}.{k}: {bad} of {want.size} differ")
            else:
                d = float(np.max(np.abs(have - want)))
                ok = d <= 1e-4
                print(f"{'ok  ' if ok else 'FAIL'} {name}.{k}: max abs diff {d:.2e}")
            failed += not ok
    if a.skab:
        replay_skab(ort, a.skab)
    if a.steel:
        steel_holdout(ort, a.steel)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
