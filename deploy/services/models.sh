# The model checks (models/check_models.py) and replay's scikit-learn baseline need Debian's Python stack.
APT_PACKAGES+=(python3 python3-numpy python3-onnx python3-yaml python3-sklearn python3-pandas)
