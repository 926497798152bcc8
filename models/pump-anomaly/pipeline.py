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
      [--per-file]   prints per-file confusion counts and the totals as JSON lines
"""
from __future__ import annotations

import argparse
import glob
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
def experiment_files(root: str) -> list[str]:
    """valve1/*.csv then valve2/*.csv, numerically sorted, as paths relative to root."""
    out = []
    for group in ("valve1", "valve2"):
        names = glob.glob(os.path.join(root, group, "*.csv"))
        names.sort(key=lambda p: int(os.path.splitext(os.path.basename(p))[0]))
        out += [os.path.relpath(p, root) for p in names]
    if not out:
        raise FileNotFoundError(f"SKAB folder '{root}': no valve1/valve2 CSV files found")
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
    if th["method"] == "quantile":
        return float(np.quantile(cal_scores, th["quantile"]) * th.get("factor", 1.0))
    if th["method"] == "mean_std":
        return float(cal_scores.mean() + th["k"] * cal_scores.std())
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
    ap.add_argument("--data", default=DEFAULT_DATA, help="SKAB folder (valve1/, valve2/)")
    ap.add_argument("--card", default=os.path.join(HERE, "card.yaml"))
    ap.add_argument("--per-file", action="store_true")
    a = ap.parse_args(argv)
    with open(a.card, encoding="utf-8") as f:
        card = yaml.safe_load(f)
    model = OnnxNumpy(os.path.join(os.path.dirname(a.card), card["onnx"]))
    in_name, out_name = card["input"]["name"], card["output"]["score"]

    def score_fn(frames):
        return model.run({in_name: frames})[out_name]

    dfs = {n: read_skab(os.path.join(a.data, n)) for n in experiment_files(a.data)}
    per_file, total = evaluate(dfs, card, score_fn)
    if a.per_file:
        for n, c in per_file.items():
            print(json.dumps({"file": n, **c}))
    print(json.dumps({"total": total}))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(HERE))
    sys.exit(main())
