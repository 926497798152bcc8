#!/usr/bin/python3
"""Baseline for the steel-defects card: RandomForestClassifier(n_estimators=300, random_state=seed).

Trains on every row of the CSV that is NOT in the card's evaluation.holdout_rows (the same training
rows train.py used), scores the hold-out rows and prints one JSON line:
  {"name": "RandomForestClassifier(n_estimators=300)", "accuracy": ..., "macro_f1": ...}

Usage: /usr/bin/python3 baseline.py --data CSV --card card.yaml
Exit code 2 with a message naming the file and the problem when the CSV or the card is unusable
(missing, wrong sha256, rows out of range).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None) -> int:
    sys.path.insert(0, HERE)
    from train import BASELINE_NAME, DEFAULT_DATA, baseline_model, load, scores
    import yaml

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--card", default=os.path.join(HERE, "card.yaml"))
    a = ap.parse_args(argv)
    try:
        with open(a.card, encoding="utf-8") as f:
            card = yaml.safe_load(f)
        ev = card["evaluation"]
        holdout = np.asarray(ev["holdout_rows"], dtype=np.int64)
        seed = int(card["training"]["seed"])
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as e:
        print(f"baseline: card '{a.card}' is unusable: {e!r}", file=sys.stderr)
        return 2
    try:
        with open(a.data, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        x, y, _ = load(a.data)
    except (OSError, ValueError) as e:
        print(f"baseline: data '{a.data}' is unusable: {e}", file=sys.stderr)
        return 2
    if digest != ev["data_sha256"]:
        print(f"baseline: data '{a.data}' has sha256 {digest}, the card's split refers to "
              f"{ev['data_sha256']}", file=sys.stderr)
        return 2
    if len(holdout) == 0 or holdout.min() < 0 or holdout.max() >= len(y):
        print(f"baseline: card '{a.card}': evaluation.holdout_rows out of range for {len(y)} rows",
              file=sys.stderr)
        return 2
    train = np.setdiff1d(np.arange(len(y)), holdout)
    model = baseline_model(seed).fit(x[train], y[train])
    s = scores(y[holdout], model.predict(x[holdout]))
    print(json.dumps({"name": BASELINE_NAME, "accuracy": s["accuracy"], "macro_f1": s["macro_f1"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
