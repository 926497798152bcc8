"""Torch scorers for the pump-anomaly model: every one maps float32 [N, W*F] frames to a score [N]."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn


class WindowAutoencoder(nn.Module):
    """Dense autoencoder over a flattened window; score = mean squared reconstruction error."""

    def __init__(self, dim: int, hidden: int, latent: int):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(dim, hidden), nn.Tanh(), nn.Linear(hidden, latent), nn.Tanh())
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.Tanh(), nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r = self.decoder(self.encoder(x))
        return ((x - r) ** 2).mean(dim=1)


class WindowMahalanobis(nn.Module):
    """Gaussian model of normal windows; score = mean squared whitened deviation (Hotelling T^2 / D).

    mean and whitening matrix P (P P^T = inverse of the shrunk covariance) are fitted on normal
    windows; the score of a frame is ||(x - mean) P||^2 / D."""

    def __init__(self, dim: int):
        super().__init__()
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("whiten", torch.eye(dim))

    def fit(self, x: np.ndarray, shrinkage: float) -> "WindowMahalanobis":
        x = x.astype(np.float64)
        mu = x.mean(axis=0)
        cov = np.atleast_2d(np.cov(x - mu, rowvar=False, bias=True))
        cov = (1.0 - shrinkage) * cov + shrinkage * np.eye(cov.shape[0]) * np.trace(cov) / cov.shape[0]
        vals, vecs = np.linalg.eigh(cov)
        vals = np.maximum(vals, 1e-6 * vals.max())
        whiten = vecs / np.sqrt(vals)[None, :]
        self.mean.copy_(torch.from_numpy(mu).float())
        self.whiten.copy_(torch.from_numpy(whiten).float())
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = (x - self.mean) @ self.whiten
        return (y ** 2).mean(dim=1)


class PcaT2Q(nn.Module):
    """PCA of normal windows: score = (T^2 over the kept components + Q residual / residual variance) / D."""

    def __init__(self, dim: int, components: int):
        super().__init__()
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("basis", torch.zeros(dim, components))
        self.register_buffer("inv_sd", torch.ones(components))
        self.register_buffer("q_scale", torch.ones(()))

    def fit(self, x: np.ndarray) -> "PcaT2Q":
        x = x.astype(np.float64)
        mu = x.mean(axis=0)
        xc = x - mu
        cov = np.atleast_2d(xc.T @ xc / len(xc))
        vals, vecs = np.linalg.eigh(cov)
        order = np.argsort(vals)[::-1]
        vals, vecs = vals[order], vecs[:, order]
        k = self.basis.shape[1]
        resid_var = max(vals[k:].mean(), 1e-6) if k < len(vals) else 1.0
        self.mean.copy_(torch.from_numpy(mu).float())
        self.basis.copy_(torch.from_numpy(vecs[:, :k]).float())
        self.inv_sd.copy_(torch.from_numpy(1.0 / np.sqrt(np.maximum(vals[:k], 1e-6))).float())
        self.q_scale.copy_(torch.tensor(1.0 / resid_var).float())
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xc = x - self.mean
        t = xc @ self.basis
        resid = xc - t @ self.basis.t()
        t2 = ((t * self.inv_sd) ** 2).sum(dim=1)
        q = (resid ** 2).sum(dim=1) * self.q_scale
        return (t2 + q) / x.shape[1]


def train_autoencoder(x: np.ndarray, hidden: int, latent: int, epochs: int, seed: int) -> WindowAutoencoder:
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = WindowAutoencoder(x.shape[1], hidden, latent)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    data = torch.from_numpy(x.astype(np.float32))
    for _ in range(epochs):
        perm = torch.randperm(len(data), generator=gen)
        for i in range(0, len(data), 256):
            batch = data[perm[i:i + 256]]
            loss = model(batch).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model
