#!/usr/bin/python3
"""Trains pump-vibration-flow: pump-anomaly's scorer and selection protocol restricted to the three sensors
lines often wire first (Accelerometer1RMS, Accelerometer2RMS, Volume Flow RateRMS).

Same data, leave-one-fault-family-out protocol, nested estimate and outputs as ../pump-anomaly/train.py
(which does the work); only candidates on the `acc_flow3` feature set are considered.
Usage: /usr/bin/python3 models/pump-vibration-flow/train.py [--data ../shared/datasets/skab]
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "pump-anomaly"))
import train  # noqa: E402

if __name__ == "__main__":
    sys.exit(train.main(sys.argv[1:] + ["--features", "acc_flow3", "--name", "pump-vibration-flow", "--out", HERE]))
