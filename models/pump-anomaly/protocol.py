"""Leave-one-fault-family-out selection of the pump-anomaly pipeline, with nested selection.

Families (pipeline.FAMILIES): valve1, valve2, leaks, rotor. A candidate is a scorer configuration
(features, window, dead zone, whitening; scorer.RobustScorer) with a smoothing rule and a threshold rule.
Weights are fitted only on the first 400 rows of experiment files (each normalised with its own
first-400-row statistics, as the edge does per asset); every file is then replayed through the edge
pipeline, calibrating on its own first 400 rows; confusion counts are summed over the rows after 400.

* outer (leave-one-family-out, "LOFO"): family G is scored by a model fitted on the other three families.
* inner (for the nested estimate): with family F held out, family G != F is scored by a model fitted on
  the two families that are neither F nor G.

Rule (`objective`), the operating point a plant would choose: false alarms first, then detection. It is
the worst family's F1 minus ten times the worst family's FAR above 13 % (one point of FAR beyond 13 % costs
0.1 of F1), so a candidate that keeps every family at FAR <= 13 % wins over one that detects a little
more but alarms more; ties go to the higher pooled F1. The shipped configuration
maximises it over the four LOFO families; the selection-honest (nested) estimate for family F uses the
configuration that maximises it over the inner counts of the three other families only.
"""
from __future__ import annotations

import itertools

import numpy as np
from scipy.signal import lfilter

import pipeline as P
from scorer import THERMAL, RobustScorer

N_CAL = 400
STD_FLOOR = 1e-6
FAR_LIMIT = 0.13
F1_TARGET = 0.82
FAR_PENALTY = 10.0

ACC = ["Accelerometer1RMS", "Accelerometer2RMS"]
FLOW = "Volume Flow RateRMS"
FEATURE_SETS = {
    "all8_level": (P.FEATURES_ALL, ()),
    "all8_slope": (P.FEATURES_ALL, THERMAL),
    "no_temp6": ([f for f in P.FEATURES_ALL if f not in THERMAL], ()),
    "acc_cur_press_flow5": (ACC + ["Current", "Pressure", FLOW], ()),
    "acc_flow3": (ACC + [FLOW], ()),
}
WINDOWS = (1, 5, 10, 20)
DEAD_ZONES = (0.0, 1.0, 2.0, 3.0, 4.0)
WHITENING = ("diag", "full")

POSTPROCESS = (
    [{"smoothing": "none", "window": 1, "alpha": 0.0}]
    + [{"smoothing": "rolling_mean", "window": k, "alpha": 0.0} for k in (5, 10, 20, 30, 60)]
    + [{"smoothing": "ema", "window": 1, "alpha": a} for a in (0.2, 0.1, 0.05)]
)
# floor: the threshold never goes below it (card calibration.threshold.floor), in score units
FLOORS = (0.0, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
RULES = ([{"method": "quantile", "quantile": q, "factor": f} for q in (0.99, 1.0) for f in (1.0, 1.5, 2.0, 3.0, 5.0)]
         + [{"method": "mean_std", "k": k} for k in (3.0, 5.0, 8.0)])
THRESHOLDS = [{**r, "floor": fl} for r in RULES for fl in FLOORS]


def scorer_configs() -> list[dict]:
    out = []
    for fs, w, dz, wh in itertools.product(FEATURE_SETS, WINDOWS, DEAD_ZONES, WHITENING):
        if FEATURE_SETS[fs][1] and w < 2:
            continue
        out.append({"features": fs, "window": w, "dead_zone": dz, "whiten": wh})
    return out


def make_scorer(cfg: dict) -> RobustScorer:
    feats, slope = FEATURE_SETS[cfg["features"]]
    return RobustScorer(feats, cfg["window"], slope, cfg["dead_zone"], cfg["whiten"])


# ------------------------------------------------------------------------------------------ data
class Data:
    """Every experiment file normalised with its own first-400-row statistics (float32, as the edge)."""

    def __init__(self, root: str):
        self.files = P.experiment_files(root)
        self.families = list(self.files)
        self.z, self.truth = {}, {}
        for fam, names in self.files.items():
            for n in names:
                df = P.read_skab(f"{root}/{n}")
                x = df[P.FEATURES_ALL].to_numpy(dtype=np.float64)
                mean, std = P.calibration_stats(x, N_CAL, STD_FLOOR)
                self.z[n] = P.normalise(x, mean, std)
                self.truth[n] = df["anomaly"].to_numpy().astype(bool)

    def frames(self, name: str, cfg: dict) -> np.ndarray:
        idx = [P.FEATURES_ALL.index(f) for f in FEATURE_SETS[cfg["features"]][0]]
        return P.make_frames(self.z[name][:, idx], cfg["window"])

    def fit(self, cfg: dict, families) -> RobustScorer:
        x = np.concatenate([self.frames(n, cfg)[:N_CAL] for f in families for n in self.files[f]])
        return make_scorer(cfg).fit(x)


# ------------------------------------------------------------------------------------- counting
def smooth_fast(raw: np.ndarray, pp: dict) -> np.ndarray:
    if pp["smoothing"] == "ema":
        a = pp["alpha"]
        return lfilter([a], [1.0, -(1.0 - a)], raw, zi=[(1.0 - a) * raw[0]])[0]
    return P.smooth(raw, pp["smoothing"], pp["window"], pp["alpha"])


def threshold_vector(cal: np.ndarray) -> np.ndarray:
    q = {0.99: np.quantile(cal, 0.99), 1.0: cal.max()}
    mean, std = cal.mean(), cal.std()
    return np.asarray([max(q[t["quantile"]] * t["factor"] if t["method"] == "quantile" else mean + t["k"] * std,
                           t["floor"]) for t in THRESHOLDS])


def file_counts(raw: np.ndarray, truth: np.ndarray, scale=None) -> np.ndarray:
    """[len(POSTPROCESS), len(THRESHOLDS) (x len(scale)), 4] confusion counts (tp, fp, fn, tn) of one file."""
    y = truth[N_CAL:].astype(np.float64)
    pos, neg = y.sum(), len(y) - y.sum()
    out = []
    for pp in POSTPROCESS:
        sm = smooth_fast(raw, pp)
        thr = threshold_vector(sm[:N_CAL])
        if scale is not None:
            thr = np.outer(thr, scale).ravel()
        pred = (sm[None, N_CAL:] > thr[:, None]).astype(np.float64)
        tp = pred @ y
        fp = pred.sum(axis=1) - tp
        out.append(np.stack([tp, fp, pos - tp, neg - fp], axis=1))
    return np.asarray(out, dtype=np.int64)


def metrics(c: np.ndarray) -> dict:
    """c[..., 4] -> f1, far, mar arrays (SKAB's formulas)."""
    tp, fp, fn, tn = (c[..., i].astype(np.float64) for i in range(4))
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(tp + fn + fp > 0, tp / (tp + (fn + fp) / 2), 0.0)
        far = np.where(fp + tn > 0, fp / (fp + tn), 0.0)
        mar = np.where(fn + tp > 0, fn / (fn + tp), 0.0)
    return {"f1": f1, "far": far, "mar": mar}


def objective(per_family: np.ndarray) -> np.ndarray:
    """per_family[k, ..., 4] (k = family) -> the rule's value per candidate (higher is better)."""
    m = metrics(per_family)
    excess = np.maximum(np.max(m["far"], axis=0) - FAR_LIMIT, 0.0)
    pooled = metrics(per_family.sum(axis=0))["f1"]
    return np.min(m["f1"], axis=0) - FAR_PENALTY * excess + 1e-4 * pooled


# ------------------------------------------------------------------------------------ the search
def search(data: Data, configs: list[dict], log=print):
    """outer[c, g] and inner[c, f, g] counts for every scorer config c: arrays
    [C, G, PP, TH, 4] and [C, F, G, PP, TH, 4] (inner[c, f, f] is zero)."""
    fams = data.families
    k = len(fams)
    outer = np.zeros((len(configs), k, len(POSTPROCESS), len(THRESHOLDS), 4), dtype=np.int64)
    inner = np.zeros((len(configs), k, k, len(POSTPROCESS), len(THRESHOLDS), 4), dtype=np.int64)
    for ci, cfg in enumerate(configs):
        for gi, g in enumerate(fams):
            model = data.fit(cfg, [f for f in fams if f != g])
            for n in data.files[g]:
                outer[ci, gi] += file_counts(model.score(data.frames(n, cfg)), data.truth[n])
        for fi, gi in itertools.combinations(range(k), 2):
            model = data.fit(cfg, [f for j, f in enumerate(fams) if j not in (fi, gi)])
            for a, b in ((fi, gi), (gi, fi)):
                for n in data.files[fams[b]]:
                    inner[ci, a, b] += file_counts(model.score(data.frames(n, cfg)), data.truth[n])
        best = objective(outer[ci]).max()
        log(f"[{ci + 1}/{len(configs)}] {cfg}: best LOFO objective {best:.4f}")
    return outer, inner


def argbest(values: np.ndarray) -> tuple:
    return np.unravel_index(int(np.argmax(values)), values.shape)


def candidate(configs, ci, pi, ti) -> dict:
    return {"scorer": configs[ci], "postprocess": POSTPROCESS[pi], "threshold": THRESHOLDS[ti]}


def family_table(fams, counts: np.ndarray) -> dict:
    """counts[g, 4] -> {family: counts + metrics, ..., 'overall': ...}."""
    out = {}
    for g, c in zip(fams + ["overall"], list(counts) + [counts.sum(axis=0)]):
        m = metrics(c)
        out[g] = {"tp": int(c[0]), "fp": int(c[1]), "fn": int(c[2]), "tn": int(c[3]),
                  "f1": float(m["f1"]), "far": float(m["far"]), "mar": float(m["mar"])}
    return out


def select(fams, configs, outer, inner) -> dict:
    """The shipped choice (LOFO over all families) and the nested estimate."""
    obj = objective(np.moveaxis(outer, 1, 0))                     # [C, PP, TH]
    ci, pi, ti = argbest(obj)
    chosen = candidate(configs, ci, pi, ti)
    lofo = family_table(fams, outer[ci, :, pi, ti])
    nested_counts, picks = [], {}
    for fi, f in enumerate(fams):
        others = [g for g in range(len(fams)) if g != fi]
        o = objective(np.moveaxis(inner[:, fi, others], 1, 0))    # [C, PP, TH]
        c2, p2, t2 = argbest(o)
        picks[f] = {**candidate(configs, c2, p2, t2), "inner_objective": float(o[c2, p2, t2])}
        nested_counts.append(outer[c2, fi, p2, t2])
    nested = family_table(fams, np.asarray(nested_counts))
    ranked = np.argsort(-obj.ravel())[:40]
    top = []
    for flat in ranked:
        c3, p3, t3 = np.unravel_index(int(flat), obj.shape)
        top.append({**candidate(configs, c3, p3, t3), "objective": float(obj[c3, p3, t3]),
                    "lofo": family_table(fams, outer[c3, :, p3, t3])})
    per_scorer = []
    for c4, cfg in enumerate(configs):
        p4, t4 = argbest(obj[c4])
        per_scorer.append({"scorer": cfg, "objective": float(obj[c4, p4, t4]), "postprocess": POSTPROCESS[p4],
                           "threshold": THRESHOLDS[t4], "lofo": family_table(fams, outer[c4, :, p4, t4])})
    return {"chosen": chosen, "index": [int(ci), int(pi), int(ti)], "objective": float(obj[ci, pi, ti]),
            "lofo": lofo, "nested": nested, "nested_picks": picks, "top": top, "best_per_scorer": per_scorer}
