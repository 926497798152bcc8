#!/usr/bin/python3
"""Writes the edge-case ONNX models of OnnxEdgeCaseTests (make_fixtures.py writes the others). Run with Debian's /usr/bin/python3 (python3-onnx).

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


if __name__ == "__main__":
    add_matmul()
    fixed_batch()
    reshape_even()
    with open(os.path.join(HERE, "corrupt.onnx"), "wb") as f:
        f.write(b"this is not an ONNX protobuf\x00\xff\xfe")
