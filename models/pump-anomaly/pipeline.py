#!/usr/bin/python3
"""Python reference of the edge's anomaly pipeline (CARD-FORMAT.md), and SKAB scoring.

Per asset (= one CSV file): the first `calibration.samples` rows give the per-feature mean and
population std (std below std_floor -> std_floor); every row is normalised with them; frame t is the
W normalised samples t-W+1..t, oldest first, flattened row-major (before the stream has W samples the
missing older rows repeat the first sample); the ONNX graph scores every frame; the raw scores are
smoothed causally from the first row on; the threshold comes from the smoothed scores of the
calibration rows; anomaly_t = smoothed_t > threshold. Metrics count only rows after the calibration
rows, with SKAB's protocol (confusion counts summed over files).

The graph is evaluated by the small numpy ONNX evaluator in onnx_numpy.py (no onnxruntime here), so
this script checks the exported file itself, not the torch model it came from.

Usage:
  /usr/bin/python3 models/pump-anomaly/pipeline.py [--data ../shared/datasets/skab] [--card card.yaml]
      [--per-file]   prints per-file confusion counts, per-family and total metrics as JSON lines
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "datasets", "skab"))

FEATURES_ALL = ["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature",
                "Thermocouple", "Voltage", "Volume Flow RateRMS"]


# ----------------------------------------------------------------------------------------- data
# SKAB's visible fault families (../shared/datasets/README.md): folder and file numbers of each.
FAMILIES = {
    "valve1": ("valve1", range(0, 16)),
    "valve2": ("valve2", range(0, 4)),
    "leaks": ("other", range(1, 5)),
    "rotor": ("other", range(5, 10)),
}


def experiment_files(root: str, families=tuple(FAMILIES)) -> dict[str, list[str]]:
    """family -> its experiment files (paths relative to root, numeric order); families whose files are
    all absent are left out, a family with only some of its files is an error."""
    out = {}
    for fam in families:
        folder, numbers = FAMILIES[fam]
        names = [os.path.join(folder, f"{i}.csv") for i in numbers]
        present = [n for n in names if os.path.isfile(os.path.join(root, n))]
        if present and len(present) != len(names):
            missing = sorted(set(names) - set(present))
            raise FileNotFoundError(f"SKAB folder '{root}': family '{fam}' lacks {missing}")
        if present:
            out[fam] = present
    if not out:
        raise FileNotFoundError(f"SKAB folder '{root}': none of the families {list(families)} found")
    return out


def read_skab(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, sep=";")
    missing = [c for c in FEATURES_ALL if c not in df.columns]
    if missing:
        raise ValueError(f"SKAB file '{path}': missing columns {missing}")
    return df


# ------------------------------------------------------------------------------------ pipeline
def calibration_stats(x: np.ndarray, n_cal: int, std_floor: float) -> tuple[np.ndarray, np.ndarray]:
    cal = x[:n_cal].astype(np.float64)
    mean = cal.mean(axis=0)
    std = cal.std(axis=0)  # population std (ddof=0)
    std = np.where(std < std_floor, std_floor, std)
    return mean, std


def normalise(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    return ((x - mean) / std).astype(np.float32)


def make_frames(z: np.ndarray, window: int) -> np.ndarray:
    """[T, F] -> [T, W*F]; frame t = rows t-W+1..t oldest first, padded with row 0."""
    t_len = z.shape[0]
    idx = np.arange(t_len)[:, None] + np.arange(-window + 1, 1)[None, :]
    idx = np.maximum(idx, 0)
    return z[idx].reshape(t_len, -1).astype(np.float32)


def smooth(raw: np.ndarray, kind: str, window: int = 1, alpha: float = 0.0) -> np.ndarray:
    raw = raw.astype(np.float64)
    if kind == "none":
        return raw.copy()
    if kind == "rolling_mean":
        c = np.concatenate([[0.0], np.cumsum(raw)])
        t = np.arange(len(raw))
        lo = np.maximum(t + 1 - window, 0)
        return (c[t + 1] - c[lo]) / (t + 1 - lo)
    if kind == "ema":
        out = np.empty_like(raw)
        s = raw[0]
        for i, v in enumerate(raw):
            s = v if i == 0 else alpha * v + (1.0 - alpha) * s
            out[i] = s
        return out
    raise ValueError(f"postprocess.smoothing '{kind}': expected none, rolling_mean or ema")


def threshold_of(cal_scores: np.ndarray, th: dict) -> float:
    """The method's value on the calibration scores, raised to th["floor"] when the card gives one."""
    floor = th.get("floor", -np.inf)
    if th["method"] == "quantile":
        return float(max(np.quantile(cal_scores, th["quantile"]) * th.get("factor", 1.0), floor))
    if th["method"] == "mean_std":
        return float(max(cal_scores.mean() + th["k"] * cal_scores.std(), floor))
    raise ValueError(f"calibration.threshold.method '{th['method']}': expected quantile or mean_std")


def run_asset(df: pd.DataFrame, card: dict, score_fn) -> dict:
    """Replays one asset through the card's pipeline. score_fn: float32 [N, W*F] -> [N]."""
    feats = card["input"]["features"]
    n_cal = card["calibration"]["samples"]
    x = df[feats].to_numpy(dtype=np.float64)
    mean, std = calibration_stats(x, n_cal, card["normalisation"]["std_floor"])
    z = normalise(x, mean, std)
    frames = make_frames(z, card["input"]["window"])
    raw = np.asarray(score_fn(frames), dtype=np.float32).reshape(-1)
    pp = card["postprocess"]
    sm = smooth(raw, pp["smoothing"], pp.get("window", 1), pp.get("alpha", 0.0))
    thr = threshold_of(sm[:n_cal], card["calibration"]["threshold"])
    pred = (sm > thr).astype(np.int64)
    return {"raw": raw, "smoothed": sm, "threshold": thr, "pred": pred}


def confusion(pred: np.ndarray, truth: np.ndarray) -> dict:
    pred = pred.astype(bool)
    truth = truth.astype(bool)
    return {"tp": int((pred & truth).sum()), "fp": int((pred & ~truth).sum()),
            "fn": int((~pred & truth).sum()), "tn": int((~pred & ~truth).sum())}


def skab_metrics(c: dict) -> dict:
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    f1 = tp / (tp + (fn + fp) / 2) if tp + fn + fp else 0.0
    far = fp / (fp + tn) if fp + tn else 0.0
    mar = fn / (fn + tp) if fn + tp else 0.0
    return {"f1": f1, "far": far, "mar": mar}


def evaluate(dfs: dict, card: dict, score_fn) -> tuple[dict, dict]:
    """Sums confusion counts over the test parts (rows after calibration) of every file."""
    n_cal = card["calibration"]["samples"]
    per_file = {}
    total = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for name, df in dfs.items():
        r = run_asset(df, card, score_fn)
        c = confusion(r["pred"][n_cal:], df[card["labels"]["anomaly_column"]].to_numpy()[n_cal:])
        c["threshold"] = r["threshold"]
        per_file[name] = c
        for k in total:
            total[k] += c[k]
    return per_file, {**total, **skab_metrics(total)}


def main(argv=None) -> int:
    import yaml
    from onnx_numpy import OnnxNumpy

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="SKAB folder (valve1/, valve2/, other/)")
    ap.add_argument("--card", default=os.path.join(HERE, "card.yaml"))
    ap.add_argument("--per-file", action="store_true")
    a = ap.parse_args(argv)
    with open(a.card, encoding="utf-8") as f:
        card = yaml.safe_load(f)
    model = OnnxNumpy(os.path.join(os.path.dirname(a.card), card["onnx"]))
    in_name, out_name = card["input"]["name"], card["output"]["score"]

    def score_fn(frames):
        return model.run({in_name: frames})[out_name]

    files = experiment_files(a.data)
    dfs = {n: read_skab(os.path.join(a.data, n)) for names in files.values() for n in names}
    per_file, total = evaluate(dfs, card, score_fn)
    if a.per_file:
        for n, c in per_file.items():
            print(json.dumps({"file": n, **c}))
    for fam, names in files.items():
        c = {k: sum(per_file[n][k] for n in names) for k in ("tp", "fp", "fn", "tn")}
        print(json.dumps({"family": fam, **c, **skab_metrics(c)}))
    print(json.dumps({"total": total}))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(HERE))
    sys.exit(main())
