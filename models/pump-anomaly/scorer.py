"""The pump-anomaly scorer: robust deviation of window features from normal, fitted on normal windows.

A frame is W consecutive per-asset-normalised samples of the card's features (CARD-FORMAT.md). The scorer
maps it linearly to one value per feature: the window mean (the feature's level) or, for features marked
`slope`, the mean of the window's newer half minus the mean of its older half (how fast it moves; used for
the two temperatures, whose level drifts in normal runs). Those values are centred and whitened with
statistics of normal training windows (`diag`: each scaled by its standard deviation; `full`: whitened
with the shrunk covariance), and each whitened value u counts only beyond a dead zone:
score = mean over values of max(|u| - dead_zone, 0)^2. The dead zone lets an asset's operating point move
by a few calibration standard deviations (as SKAB's rigs do after a fault) without an alarm, while the
large deviations of a fault still count in full. Everything is a fixed graph of Gemm, Abs, Sub, Relu, Mul
and ReduceMean (opset 13), exported by `export_onnx`.
"""
from __future__ import annotations

import numpy as np

THERMAL = ("Temperature", "Thermocouple")


class RobustScorer:
    def __init__(self, features: list[str], window: int, slope: tuple[str, ...], dead_zone: float,
                 whiten: str, shrinkage: float = 0.1):
        if any(f in slope for f in features) and window < 2:
            raise ValueError("slope features need a window of at least 2 samples")
        self.features = list(features)
        self.window = window
        self.slope = tuple(f for f in features if f in slope)
        self.dead_zone = float(dead_zone)
        self.whiten = whiten
        self.shrinkage = shrinkage
        self.linear = self._linear_map()
        self.center = np.zeros(len(features))
        self.transform = np.eye(len(features))

    def _linear_map(self) -> np.ndarray:
        """[W*F, F]: frame (oldest row first, row-major) -> one window feature per sample feature."""
        w, nf = self.window, len(self.features)
        m = np.zeros((w * nf, nf))
        half = w // 2
        for j, f in enumerate(self.features):
            for r in range(w):
                if f in self.slope:
                    # newer half mean minus older half mean (the middle row of an odd window is left out)
                    if r < half:
                        m[r * nf + j, j] = -1.0 / half
                    elif r >= w - half:
                        m[r * nf + j, j] = 1.0 / half
                else:
                    m[r * nf + j, j] = 1.0 / w
        return m

    def window_features(self, frames: np.ndarray) -> np.ndarray:
        return frames.astype(np.float64) @ self.linear

    def fit(self, frames: np.ndarray) -> "RobustScorer":
        v = self.window_features(frames)
        self.center = v.mean(axis=0)
        vc = v - self.center
        if self.whiten == "diag":
            self.transform = np.diag(1.0 / np.maximum(vc.std(axis=0), 1e-6))
        elif self.whiten == "full":
            cov = np.atleast_2d(vc.T @ vc / len(vc))
            cov = (1 - self.shrinkage) * cov + self.shrinkage * np.eye(len(cov)) * np.trace(cov) / len(cov)
            vals, vecs = np.linalg.eigh(cov)
            vals = np.maximum(vals, 1e-6 * vals.max())
            self.transform = vecs / np.sqrt(vals)[None, :]
        else:
            raise ValueError(f"whiten '{self.whiten}': expected diag or full")
        return self

    def score(self, frames: np.ndarray) -> np.ndarray:
        """float64 scores, computed in the graph's order of operations."""
        u = (frames.astype(np.float64) @ self.linear - self.center) @ self.transform
        d = np.maximum(np.abs(u) - self.dead_zone, 0.0)
        return (d * d).mean(axis=1)

    def export_onnx(self, path: str, doc: str) -> None:
        """input float32 [N, W*F] -> score float32 [N]. Centring is folded into the Gemm's bias."""
        import onnx
        from onnx import TensorProto, helper, numpy_helper

        weight = (self.linear @ self.transform).astype(np.float32)
        bias = (-self.center @ self.transform).astype(np.float32)
        inits = [numpy_helper.from_array(weight, "weight"), numpy_helper.from_array(bias, "bias"),
                 numpy_helper.from_array(np.asarray(self.dead_zone, dtype=np.float32), "dead_zone")]
        nodes = [
            helper.make_node("Gemm", ["input", "weight", "bias"], ["whitened"]),
            helper.make_node("Abs", ["whitened"], ["magnitude"]),
            helper.make_node("Sub", ["magnitude", "dead_zone"], ["beyond"]),
            helper.make_node("Relu", ["beyond"], ["excess"]),
            helper.make_node("Mul", ["excess", "excess"], ["squared"]),
            helper.make_node("ReduceMean", ["squared"], ["score"], axes=[1], keepdims=0),
        ]
        dim = self.linear.shape[0]
        graph = helper.make_graph(
            nodes, "pump_anomaly",
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", dim])],
            [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["batch"])], inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="aifactory",
                                  doc_string=doc)
        model.ir_version = 8
        onnx.checker.check_model(model, full_check=True)
        onnx.save(model, path)
