"""A tiny pure-numpy evaluator for the ONNX graphs this folder exports.

onnx 1.12 (Debian) has no reference evaluator and onnxruntime is not available to Python here, so the
training scripts use this to check each exported file numerically against the torch / sklearn model
it came from. It implements only the operators our graphs use, with ONNX semantics (opset 13 for
the default domain, ai.onnx.ml opset 3 TreeEnsembleClassifier), and fails loudly on anything else.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper


class OnnxNumpy:
    def __init__(self, path: str):
        self.model = onnx.load(path)
        onnx.checker.check_model(self.model, full_check=True)
        g = self.model.graph
        self.inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.outputs = [o.name for o in g.output]

    def run(self, feeds: dict) -> dict:
        env = dict(self.inits)
        env.update(feeds)
        for node in self.model.graph.node:
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            args = [env[i] if i else None for i in node.input]
            fn = getattr(self, "_" + node.op_type, None)
            if fn is None:
                raise NotImplementedError(f"onnx_numpy: operator {node.domain or 'ai.onnx'}.{node.op_type} "
                                          "is not implemented")
            res = fn(args, attrs)
            res = res if isinstance(res, tuple) else (res,)
            for name, value in zip(node.output, res):
                env[name] = value
        return {n: env[n] for n in self.outputs}

    # -------------------------------------------------------------------------- default domain
    @staticmethod
    def _Constant(a, at):
        return numpy_helper.to_array(at["value"])

    @staticmethod
    def _Identity(a, at):
        return a[0]

    @staticmethod
    def _Gemm(a, at):
        x, w = a[0], a[1]
        if at.get("transA", 0):
            x = x.T
        if at.get("transB", 0):
            w = w.T
        y = at.get("alpha", 1.0) * (x @ w)
        if len(a) > 2 and a[2] is not None:
            y = y + at.get("beta", 1.0) * a[2]
        return y.astype(np.float32)

    @staticmethod
    def _MatMul(a, at):
        return (a[0] @ a[1]).astype(np.float32)

    @staticmethod
    def _Tanh(a, at):
        return np.tanh(a[0])

    @staticmethod
    def _Abs(a, at):
        return np.abs(a[0])

    @staticmethod
    def _Relu(a, at):
        return np.maximum(a[0], 0).astype(a[0].dtype)

    @staticmethod
    def _Add(a, at):
        return a[0] + a[1]

    @staticmethod
    def _Sub(a, at):
        return a[0] - a[1]

    @staticmethod
    def _Mul(a, at):
        return a[0] * a[1]

    @staticmethod
    def _Div(a, at):
        return a[0] / a[1]

    @staticmethod
    def _Pow(a, at):
        return np.power(a[0], a[1]).astype(a[0].dtype)

    @staticmethod
    def _Sqrt(a, at):
        return np.sqrt(a[0])

    @staticmethod
    def _Transpose(a, at):
        return np.transpose(a[0], at.get("perm"))

    @staticmethod
    def _ReduceMean(a, at):
        axes = tuple(at["axes"]) if "axes" in at else None
        return a[0].mean(axis=axes, keepdims=bool(at.get("keepdims", 1))).astype(a[0].dtype)

    @staticmethod
    def _ReduceSum(a, at):
        axes = tuple(int(v) for v in a[1]) if len(a) > 1 and a[1] is not None else None
        return a[0].sum(axis=axes, keepdims=bool(at.get("keepdims", 1))).astype(a[0].dtype)

    # ------------------------------------------------------------------------------ ai.onnx.ml
    @staticmethod
    def _TreeEnsembleClassifier(a, at):
        x = a[0].astype(np.float32)
        tree_ids = np.asarray(at["nodes_treeids"])
        node_ids = np.asarray(at["nodes_nodeids"])
        feats = np.asarray(at["nodes_featureids"])
        values = np.asarray(at["nodes_values"], dtype=np.float32)
        modes = [m.decode() if isinstance(m, bytes) else m for m in at["nodes_modes"]]
        true_ids = np.asarray(at["nodes_truenodeids"])
        false_ids = np.asarray(at["nodes_falsenodeids"])
        labels = np.asarray(at["classlabels_int64s"])
        n_classes = len(labels)
        index = {(t, n): i for i, (t, n) in enumerate(zip(tree_ids, node_ids))}
        leaf_w: dict = {}
        for t, n, c, w in zip(at["class_treeids"], at["class_nodeids"], at["class_ids"], at["class_weights"]):
            leaf_w.setdefault((t, n), []).append((c, np.float32(w)))
        roots = sorted(set(tree_ids.tolist()))
        scores = np.zeros((x.shape[0], n_classes), dtype=np.float32)
        for r in range(x.shape[0]):
            row = x[r]
            for t in roots:
                i = index[(t, 0)]
                while modes[i] != "LEAF":
                    if modes[i] != "BRANCH_LEQ":
                        raise NotImplementedError(f"onnx_numpy: node mode {modes[i]}")
                    nxt = true_ids[i] if row[feats[i]] <= values[i] else false_ids[i]
                    i = index[(t, nxt)]
                for c, w in leaf_w.get((t, node_ids[i]), []):
                    scores[r, c] += w
        base = at.get("base_values")
        if base:
            scores = scores + np.asarray(base, dtype=np.float32)
        post = at.get("post_transform", b"NONE")
        post = post.decode() if isinstance(post, bytes) else post
        if post == "SOFTMAX":
            e = np.exp(scores - scores.max(axis=1, keepdims=True))
            scores = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        elif post != "NONE":
            raise NotImplementedError(f"onnx_numpy: post_transform {post}")
        label = labels[scores.argmax(axis=1)].astype(np.int64)
        return label, scores
