"""Optimisers: SGD with momentum, and Adam, with PyTorch's update rules and defaults."""

from __future__ import annotations

import numpy as np


class _Optimizer:
    """Holds the parameters an optimiser updates."""

    def __init__(self, params):
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")

    def zero_grad(self):
        """Set the gradient of every parameter to zero."""
        for p in self.params:
            p.grad = np.zeros_like(p.data)


class SGD(_Optimizer):
    """Stochastic gradient descent with momentum (``torch.optim.SGD``: same defaults, same update).

    With g = grad + weight_decay·w, each step does::

        v ← g on the first step, then v ← momentum·v + (1 − dampening)·g
        w ← w − lr·v                 (nesterov: w ← w − lr·(g + momentum·v))

    and with momentum 0 simply w ← w − lr·g.

    Parameters
    ----------
    params : iterable of Parameter
        Usually ``model.parameters()``.
    lr, momentum, dampening, weight_decay : float
    nesterov : bool
    """

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False):
        super().__init__(params)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.weight_decay, self.nesterov = weight_decay, nesterov
        self.velocity = [None] * len(self.params)

    def step(self):
        """Move every parameter against its gradient."""
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data
            if self.momentum:
                v = self.velocity[i]
                v = g.copy() if v is None else self.momentum * v + (1 - self.dampening) * g
                self.velocity[i] = v
                g = g + self.momentum * v if self.nesterov else v
            p.data -= self.lr * g


class Adam(_Optimizer):
    """Adam (``torch.optim.Adam``: same defaults, same update).

    With g = grad + weight_decay·w, at step t::

        m ← β1·m + (1 − β1)·g                 (running mean of the gradient)
        v ← β2·v + (1 − β2)·g²                (running mean of its square)
        m̂ = m/(1 − β1^t),  v̂ = v/(1 − β2^t)   (undo the pull towards their zero start)
        w ← w − lr·m̂/(√v̂ + eps)

    Parameters
    ----------
    params : iterable of Parameter
        Usually ``model.parameters()``.
    lr : float, default 1e-3
    betas : (float, float), default (0.9, 0.999)
        β1 and β2.
    eps : float, default 1e-8
    weight_decay : float, default 0
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, tuple(betas), eps, weight_decay
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = 0

    def step(self):
        """Move every parameter by its bias-corrected, normalised running mean gradient."""
        (b1, b2), self.t = self.betas, self.t + 1
        for p, m, v in zip(self.params, self.m, self.v):
            g = p.grad + self.weight_decay * p.data
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            m_hat, v_hat = m / (1 - b1**self.t), v / (1 - b2**self.t)
            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
