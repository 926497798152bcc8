# The model checks (models/check_models.py), replay's scikit-learn baseline and the training scripts
# (scipy for smoothing, matplotlib for the trade-off plot) need Debian's Python stack.
APT_PACKAGES+=(python3 python3-numpy python3-onnx python3-yaml python3-sklearn python3-pandas python3-scipy python3-matplotlib)
