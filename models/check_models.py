#!/usr/bin/python3
"""Checks every models/<name>/ folder against CARD-FORMAT.md and its own reference.json.

For each folder with a card.yaml: required keys and types; name/onnx/feature consistency; the ONNX
file passes onnx.checker (full check) with default opset <= 17 and ai.onnx.ml <= 3; the graph's input
width equals window * features; the graph, run by onnx_numpy.py on reference.json's inputs, matches the
reference outputs within 1e-4 (labels exactly); for classifiers, the evaluation split is in range and,
when the dataset is present, its sha256 matches; for anomaly models with final_per_file.json, the card's
per-family figures equal the SKAB metrics of its per-family counts; an optional `validation` section is
text in the documented shape. Prints one line per check; exit code 1 on any failure.

Usage: /usr/bin/python3 models/check_models.py [--datasets ../shared/datasets]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys

import numpy as np
import onnx
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from onnx_numpy import OnnxNumpy  # noqa: E402

DATA_FILES = {"steel-defects": os.path.join("steel-plates", "steel-plates-train.csv")}


class Failure(Exception):
    pass


def need(cond: bool, what: str) -> None:
    if not cond:
        raise Failure(what)


def check_card(folder: str, card: dict) -> None:
    name = os.path.basename(folder)
    need(isinstance(card, dict), "card.yaml is not a mapping")
    need(card.get("name") == name, f"name '{card.get('name')}' differs from the folder name '{name}'")
    need(re.fullmatch(r"[a-z0-9-]+", name) is not None, f"name '{name}' is not [a-z0-9-]+")
    need(re.fullmatch(r"\d+\.\d+\.\d+", str(card.get("version", ""))) is not None, "version is not x.y.z")
    need(card.get("task") in ("anomaly", "classification"), f"task '{card.get('task')}' unknown")
    need(os.path.isfile(os.path.join(folder, str(card.get("onnx")))), f"onnx file '{card.get('onnx')}' missing")
    inp = card.get("input", {})
    need(inp.get("dtype") == "float32", "input.dtype must be float32")
    need(isinstance(inp.get("features"), list) and inp["features"], "input.features must be a non-empty list")
    need(isinstance(inp.get("window"), int) and inp["window"] >= 1, "input.window must be an int >= 1")
    norm = card.get("normalisation", {})
    need(norm.get("kind") in ("per_asset", "fixed", "none"), f"normalisation.kind '{norm.get('kind')}'")
    if norm["kind"] == "fixed":
        need(len(norm.get("mean", [])) == len(inp["features"]) == len(norm.get("std", [])),
             "fixed normalisation needs mean and std per feature")
    for k in ("script", "data", "seed", "trained_at"):
        need(k in card.get("training", {}), f"training.{k} missing")
    need(isinstance(card.get("metrics", {}), dict), "metrics must be a mapping")
    for k, v in card.get("metrics", {}).items():
        need(isinstance(v, (int, float)), f"metrics.{k} is not a number")
    val = card.get("validation")
    if val is not None:
        need(isinstance(val, dict) and isinstance(val.get("protocol"), str), "validation.protocol must be text")
        fams = val.get("families")
        need(isinstance(fams, dict) and fams and all(isinstance(v, str) for v in fams.values()),
             "validation.families must map each family to text")
        need(isinstance(val.get("weak"), list) and all(isinstance(w, str) for w in val["weak"]),
             "validation.weak must be a list of text lines")
    out = card.get("output", {})
    if card["task"] == "anomaly":
        cal = card.get("calibration", {})
        need(isinstance(cal.get("samples"), int) and cal["samples"] > 0, "calibration.samples")
        th = cal.get("threshold", {})
        need(th.get("method") in ("quantile", "mean_std"), f"threshold.method '{th.get('method')}'")
        if th["method"] == "quantile":
            need(0 <= th.get("quantile", -1) <= 1 and th.get("factor", 0) > 0, "quantile/factor")
        else:
            need(isinstance(th.get("k"), (int, float)), "threshold.k")
        if "floor" in th:
            need(isinstance(th["floor"], (int, float)) and np.isfinite(th["floor"]), "threshold.floor must be a number")
        pp = card.get("postprocess", {})
        need(pp.get("smoothing") in ("none", "rolling_mean", "ema"), f"smoothing '{pp.get('smoothing')}'")
        if pp["smoothing"] == "rolling_mean":
            need(isinstance(pp.get("window"), int) and pp["window"] >= 1, "postprocess.window")
        if pp["smoothing"] == "ema":
            need(0 < pp.get("alpha", 0) <= 1, "postprocess.alpha must be in (0, 1]")
        need(isinstance(out.get("score"), str), "output.score")
    else:
        need(isinstance(out.get("label"), str) and isinstance(out.get("probabilities"), str),
             "output.label and output.probabilities")
        need(isinstance(out.get("classes"), list) and len(out["classes"]) >= 2, "output.classes")


def check_graph(folder: str, card: dict) -> OnnxNumpy:
    m = onnx.load(os.path.join(folder, card["onnx"]))
    onnx.checker.check_model(m, full_check=True)
    opsets = {o.domain: o.version for o in m.opset_import}
    need(opsets.get("", opsets.get("ai.onnx", 0)) <= 17, f"default opset {opsets} > 17")
    need(opsets.get("ai.onnx.ml", 0) <= 3, f"ai.onnx.ml opset {opsets} > 3")
    ins = {i.name: i for i in m.graph.input}
    need(card["input"]["name"] in ins, f"graph has no input '{card['input']['name']}'")
    dims = ins[card["input"]["name"]].type.tensor_type.shape.dim
    want = card["input"]["window"] * len(card["input"]["features"])
    need(len(dims) == 2 and dims[1].dim_value == want, f"graph input width != window*features ({want})")
    outs = {o.name for o in m.graph.output}
    names = [card["output"]["score"]] if card["task"] == "anomaly" else \
        [card["output"]["label"], card["output"]["probabilities"]]
    for n in names:
        need(n in outs, f"graph has no output '{n}'")
    return OnnxNumpy(os.path.join(folder, card["onnx"]))


def check_reference(folder: str, card: dict, g: OnnxNumpy) -> str:
    with open(os.path.join(folder, "reference.json"), encoding="utf-8") as f:
        ref = json.load(f)
    need(ref["input_name"] == card["input"]["name"], "reference input_name differs from the card")
    x = np.asarray(ref["inputs"], dtype=np.float32)
    got = g.run({ref["input_name"]: x})
    worst = 0.0
    for k, want in ref["outputs"].items():
        want = np.asarray(want)
        have = np.asarray(got[k]).reshape(want.shape)
        if want.dtype.kind in "iu":
            need(np.array_equal(have, want), f"output '{k}' differs from reference.json")
        else:
            d = float(np.max(np.abs(have - want)))
            worst = max(worst, d)
            need(d <= 1e-4, f"output '{k}' differs from reference.json by {d:.2e} (> 1e-4)")
    return f"{len(x)} reference inputs, max abs diff {worst:.1e}"


def check_families(folder: str, card: dict) -> str:
    """An anomaly card's per-family figures (metrics final_<family>_f1/far/mar) are the SKAB metrics of the
    per-family counts in final_per_file.json, and validation.families names the same families."""
    path = os.path.join(folder, "final_per_file.json")
    if card["task"] != "anomaly" or not os.path.isfile(path):
        return "no per-family figures"
    with open(path, encoding="utf-8") as f:
        per_family = json.load(f).get("per_family", {})
    need(per_family, "final_per_file.json has no per_family counts")
    metrics = card.get("metrics", {})
    for fam, c in per_family.items():
        tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
        want = {"f1": tp / (tp + (fn + fp) / 2), "far": fp / (fp + tn), "mar": fn / (fn + tp)}
        for k, v in want.items():
            key = f"final_{fam}_{k}"
            need(key in metrics, f"metrics.{key} missing")
            need(abs(metrics[key] - round(v, 4)) < 1e-9, f"metrics.{key} {metrics[key]} != {round(v, 4)} "
                                                           "(final_per_file.json)")
    fams = (card.get("validation") or {}).get("families")
    need(fams is None or set(fams) == set(per_family), "validation.families differ from final_per_file.json")
    return f"per-family figures of {len(per_family)} families match final_per_file.json"


def check_evaluation(card: dict, datasets: str) -> str:
    ev = card.get("evaluation")
    if not ev:
        return "no evaluation section"
    rows = ev["holdout_rows"]
    need(len(rows) == len(set(rows)) and min(rows) >= 0, "holdout_rows must be distinct and >= 0")
    rel = DATA_FILES.get(card["name"])
    path = os.path.join(datasets, rel) if rel else None
    if not path or not os.path.isfile(path):
        return f"{len(rows)} hold-out rows; dataset absent, sha256 not checked"
    with open(path, "rb") as f:
        data = f.read()
    need(hashlib.sha256(data).hexdigest() == ev["data_sha256"], f"sha256 of '{path}' differs from the card")
    n = data.count(b"\n") - 1 + (0 if data.endswith(b"\n") else 1)
    need(max(rows) < n, f"holdout_rows beyond the {n} data rows")
    return f"{len(rows)} hold-out rows of {n}; sha256 matches"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", default=os.path.normpath(os.path.join(HERE, "..", "..", "shared", "datasets")))
    a = ap.parse_args(argv)
    failed = 0
    folders = sorted(d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, "card.yaml")))
    for d in folders:
        folder = os.path.join(HERE, d)
        try:
            with open(os.path.join(folder, "card.yaml"), encoding="utf-8") as f:
                card = yaml.safe_load(f)
            check_card(folder, card)
            g = check_graph(folder, card)
            r = check_reference(folder, card, g)
            e = check_evaluation(card, a.datasets)
            fam = check_families(folder, card)
            print(f"ok   {d}: card, graph, {r}; {e}; {fam}")
        except (Failure, KeyError, ValueError, onnx.checker.ValidationError) as ex:
            failed += 1
            print(f"FAIL {d}: {type(ex).__name__}: {ex}")
    if not folders:
        print("FAIL: no model folders found")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
