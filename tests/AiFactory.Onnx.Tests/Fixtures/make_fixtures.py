#!/usr/bin/python3
"""Writes the tiny ONNX models the AiFactory.Onnx tests load. Run with Debian's /usr/bin/python3 (python3-onnx).

Every model has a dynamic first (batch) dimension named N unless its purpose is to lack one.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid("", 13)]


def save(model, name):
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name))


def add_matmul():
    # y = x @ W + b with x [N,3], W [3,2], b [2]; values chosen so float32 results are exact.
    w = numpy_helper.from_array(np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float32), "W")
    b = numpy_helper.from_array(np.array([0.5, -1], dtype=np.float32), "b")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["xw"]), helper.make_node("Add", ["xw", "b"], ["y"])],
        "add_matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])],
        [w, b])
    save(helper.make_model(graph, opset_imports=OPSET, producer_name="aifactory-fixtures"), "add_matmul.onnx")


def argmax_softmax():
    # x [N,4] -> label int64 [N] (ArgMax, keepdims 0) and probabilities float [N,4] (Softmax).
    graph = helper.make_graph(
        [helper.make_node("ArgMax", ["x"], ["label"], axis=1, keepdims=0),
         helper.make_node("Softmax", ["x"], ["probabilities"], axis=1)],
        "argmax_softmax",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 4])])
    save(helper.make_model(graph, opset_imports=OPSET, producer_name="aifactory-fixtures"), "argmax_softmax.onnx")


def label_strings():
    # x [N,3] -> ArgMax int64 [N] -> LabelEncoder -> string [N] ("ok", "scratch", "dent").
    graph = helper.make_graph(
        [helper.make_node("ArgMax", ["x"], ["index"], axis=1, keepdims=0),
         helper.make_node("LabelEncoder", ["index"], ["label"], domain="ai.onnx.ml",
                          keys_int64s=[0, 1, 2], values_strings=["ok", "scratch", "dent"], default_string="unknown")],
        "label_strings",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
        [helper.make_tensor_value_info("label", TensorProto.STRING, ["N"])])
    model = helper.make_model(graph, producer_name="aifactory-fixtures",
                              opset_imports=OPSET + [helper.make_opsetid("ai.onnx.ml", 2)])
    save(model, "label_strings.onnx")


def int_input():
    # An int64 input: FloatInput must refuse it; y = x * 2 as int64.
    two = numpy_helper.from_array(np.array([2], dtype=np.int64), "two")
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "two"], ["y"])],
        "int_input",
        [helper.make_tensor_value_info("x", TensorProto.INT64, ["N", 2])],
        [helper.make_tensor_value_info("y", TensorProto.INT64, ["N", 2])],
        [two])
    save(helper.make_model(graph, opset_imports=OPSET, producer_name="aifactory-fixtures"), "int_input.onnx")


def fixed_batch():
    # First dimension fixed to 1: cannot be batched, CreateRunContext must refuse it.
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])],
        "fixed_batch",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
    save(helper.make_model(graph, opset_imports=OPSET, producer_name="aifactory-fixtures"), "fixed_batch.onnx")


def reshape_even():
    # Reshape to [2, -1]: fine for an even batch, an ORT runtime error for an odd one (3 elements per row).
    shape = numpy_helper.from_array(np.array([2, -1], dtype=np.int64), "shape")
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "shape"], ["y"])],
        "reshape_even",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])],
        [shape])
    save(helper.make_model(graph, opset_imports=OPSET, producer_name="aifactory-fixtures"), "reshape_even.onnx")


def mlp(path, inputs=80, hidden=64, seed=7):
    # An MLP of the pump-anomaly model's size (80 -> 64 -> 1), for benchmarks before the real models land.
    rng = np.random.default_rng(seed)
    w1 = numpy_helper.from_array(rng.normal(0, 0.1, (inputs, hidden)).astype(np.float32), "W1")
    b1 = numpy_helper.from_array(np.zeros(hidden, dtype=np.float32), "b1")
    w2 = numpy_helper.from_array(rng.normal(0, 0.1, (hidden, 1)).astype(np.float32), "W2")
    b2 = numpy_helper.from_array(np.zeros(1, dtype=np.float32), "b2")
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["x", "W1", "b1"], ["h"]), helper.make_node("Relu", ["h"], ["hr"]),
         helper.make_node("Gemm", ["hr", "W2", "b2"], ["score"])],
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", inputs])],
        [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["N", 1])],
        [w1, b1, w2, b2])
    save(helper.make_model(graph, opset_imports=OPSET, producer_name="aifactory-fixtures"), path)


if __name__ == "__main__":
    add_matmul()
    argmax_softmax()
    label_strings()
    int_input()
    fixed_batch()
    reshape_even()
    mlp("mlp_80_64_1.onnx")
    with open(os.path.join(HERE, "corrupt.onnx"), "wb") as f:
        f.write(b"this is not an ONNX protobuf\x00\xff\xfe")
