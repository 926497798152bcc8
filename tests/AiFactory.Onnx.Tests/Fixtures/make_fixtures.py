#!/usr/bin/python3
"""Writes the tiny ONNX graphs the binding's tests load. Run with Debian's python3-onnx:
/usr/bin/python3 tests/AiFactory.Onnx.Tests/Fixtures/make_fixtures.py
The outputs are committed; the tests compute expected values by hand, not from this script."""
import os

from onnx import TensorProto, checker, helper, save

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, graph, opsets):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets], producer_name="aifactory-tests")
    model.ir_version = 8
    checker.check_model(model, full_check=True)
    save(model, os.path.join(HERE, name))


# y = x * 2 + 1 over [N, 3]; z = sum over the row: [N, 1]
write("affine.onnx", helper.make_graph(
    [helper.make_node("Mul", ["x", "two"], ["t"]),
     helper.make_node("Add", ["t", "one"], ["y"]),
     helper.make_node("ReduceSum", ["y", "axes"], ["z"], keepdims=1)],
    "affine",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3]),
     helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 1])],
    [helper.make_tensor("two", TensorProto.FLOAT, [], [2.0]),
     helper.make_tensor("one", TensorProto.FLOAT, [], [1.0]),
     helper.make_tensor("axes", TensorProto.INT64, [1], [1])]), [("", 13)])

# A classifier's shape: label = argmax over [N, 4] (int64 [N]); probabilities = softmax.
write("argmax.onnx", helper.make_graph(
    [helper.make_node("ArgMax", ["x"], ["label"], axis=1, keepdims=0),
     helper.make_node("Softmax", ["x"], ["probabilities"], axis=1)],
    "argmax",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
    [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
     helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 4])]), [("", 13)])

# String output: label = ["ok","defect"][argmax], via ai.onnx.ml LabelEncoder.
write("strings.onnx", helper.make_graph(
    [helper.make_node("ArgMax", ["x"], ["index"], axis=1, keepdims=0),
     helper.make_node("LabelEncoder", ["index"], ["name"], domain="ai.onnx.ml",
                      keys_int64s=[0, 1], values_strings=["ok", "defect"], default_string="unknown")],
    "strings",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])],
    [helper.make_tensor_value_info("name", TensorProto.STRING, ["N"])]), [("", 13), ("ai.onnx.ml", 2)])

# An int64 input the float feeding path must refuse.
write("int64-input.onnx", helper.make_graph(
    [helper.make_node("Identity", ["x"], ["y"])],
    "int64_input",
    [helper.make_tensor_value_info("x", TensorProto.INT64, ["N", 2])],
    [helper.make_tensor_value_info("y", TensorProto.INT64, ["N", 2])]), [("", 13)])
