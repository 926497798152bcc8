"""Our own converter: fitted sklearn tree ensembles -> ONNX ai.onnx.ml TreeEnsembleClassifier.

Supported: GradientBoostingClassifier (multiclass, log-loss: leaf values * learning_rate, base values
= the init model's raw scores, SOFTMAX), RandomForestClassifier and ExtraTreesClassifier (leaf class
fractions / number of trees, NONE). The graph has input `input` float32 [N, F] and outputs `label`
int64 [N] and `probabilities` float32 [N, C] (no ZipMap).

Thresholds: sklearn casts X to float32 and tests x <= t with t a float64; ONNX stores t as float32.
Rounding t to nearest could flip x == float32(t) cases, so every threshold is rounded DOWN to the
largest float32 <= t, which gives exactly the same branch for every float32 x.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper


def _floor32(t: np.ndarray) -> np.ndarray:
    t32 = t.astype(np.float32)
    over = t32.astype(np.float64) > t
    t32[over] = np.nextafter(t32[over], np.float32(-np.inf))
    return t32


class _Builder:
    def __init__(self):
        self.nodes = {k: [] for k in ("treeids", "nodeids", "featureids", "values", "modes", "true", "false")}
        self.cls = {k: [] for k in ("treeids", "nodeids", "ids", "weights")}

    def add_tree(self, tree_id: int, tree, leaf_weights) -> None:
        """leaf_weights(node) -> list of (class_id, weight) for a leaf node."""
        t = tree.tree_
        thr = _floor32(t.threshold)
        for i in range(t.node_count):
            leaf = t.children_left[i] == -1
            self.nodes["treeids"].append(tree_id)
            self.nodes["nodeids"].append(i)
            self.nodes["featureids"].append(0 if leaf else int(t.feature[i]))
            self.nodes["values"].append(0.0 if leaf else float(thr[i]))
            self.nodes["modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            self.nodes["true"].append(0 if leaf else int(t.children_left[i]))
            self.nodes["false"].append(0 if leaf else int(t.children_right[i]))
            if leaf:
                for c, w in leaf_weights(t, i):
                    self.cls["treeids"].append(tree_id)
                    self.cls["nodeids"].append(i)
                    self.cls["ids"].append(int(c))
                    self.cls["weights"].append(float(w))


def _gb_builder(model) -> tuple[_Builder, list[float], str]:
    b = _Builder()
    lr = model.learning_rate
    n_stages, n_classes = model.estimators_.shape
    tid = 0
    for s in range(n_stages):
        for k in range(n_classes):
            b.add_tree(tid, model.estimators_[s, k],
                       lambda t, i, k=k: [(k, lr * t.value[i, 0, 0])])
            tid += 1
    # raw score of the init estimator (the class priors' log); identical for every row
    base = model._raw_predict_init(np.zeros((1, model.n_features_in_), dtype=np.float32))[0]
    return b, [float(v) for v in base], "SOFTMAX"


def _forest_builder(model) -> tuple[_Builder, list[float], str]:
    b = _Builder()
    n = len(model.estimators_)

    def weights(t, i):
        v = t.value[i, 0, :]
        frac = v / v.sum()
        return [(c, frac[c] / n) for c in range(len(frac)) if frac[c] != 0.0]

    for tid, est in enumerate(model.estimators_):
        b.add_tree(tid, est, weights)
    return b, [], "NONE"


def to_onnx(model, n_features: int, path: str, doc: str = "") -> onnx.ModelProto:
    kind = type(model).__name__
    if kind == "GradientBoostingClassifier":
        b, base, post = _gb_builder(model)
    elif kind in ("RandomForestClassifier", "ExtraTreesClassifier"):
        b, base, post = _forest_builder(model)
    else:
        raise TypeError(f"tree_onnx: unsupported model type {kind}")
    classes = [int(c) for c in model.classes_]
    if classes != list(range(len(classes))):
        raise ValueError(f"tree_onnx: classes must be 0..C-1, got {classes}")
    attrs = dict(
        nodes_treeids=b.nodes["treeids"], nodes_nodeids=b.nodes["nodeids"],
        nodes_featureids=b.nodes["featureids"], nodes_values=b.nodes["values"],
        nodes_modes=b.nodes["modes"], nodes_truenodeids=b.nodes["true"],
        nodes_falsenodeids=b.nodes["false"],
        class_treeids=b.cls["treeids"], class_nodeids=b.cls["nodeids"], class_ids=b.cls["ids"],
        class_weights=b.cls["weights"], classlabels_int64s=classes, post_transform=post,
    )
    if base:
        attrs["base_values"] = base
    node = helper.make_node("TreeEnsembleClassifier", ["input"], ["label", "probabilities"],
                            domain="ai.onnx.ml", name="trees", **attrs)
    graph = helper.make_graph(
        [node], "steel_defects",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", n_features])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", len(classes)])])
    m = helper.make_model(graph, producer_name="aifactory-models-tree_onnx", doc_string=doc,
                          opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)])
    m.ir_version = 8
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, path)
    return m
