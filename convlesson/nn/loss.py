"""The loss function of classification, CrossEntropyLoss."""

from __future__ import annotations

import numpy as np

from .module import Module


class CrossEntropyLoss(Module):
    """Softmax cross-entropy of class scores and class labels (``torch.nn.CrossEntropyLoss``).

    For scores z_n (K classes) and label y_n, with p_n = softmax(z_n)::

        loss_n = −log p_{n, y_n} = log Σ_k exp z_{n,k} − z_{n, y_n}

    With label smoothing ε the target is q_n = (1 − ε)·onehot(y_n) + ε/K and
    ``loss_n = −Σ_k q_{n,k}·log p_{n,k}``.

    Parameters
    ----------
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        Mean or sum over the batch, or the (N,) losses.
    label_smoothing : float, default 0.0

    Both are keyword-only: PyTorch's first argument is ``weight``, per-class
    weights, which this class does not have.

    Examples
    --------
    >>> loss_fn = CrossEntropyLoss()
    >>> float(loss_fn(np.zeros((2, 4)), np.array([0, 3])))  # uniform guess: log 4
    1.3862943611198906
    >>> loss_fn.backward()
    array([[-0.375,  0.125,  0.125,  0.125],
           [ 0.125,  0.125,  0.125, -0.375]])
    """

    def __init__(self, *, reduction="mean", label_smoothing=0.0):
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
        if not 0 <= label_smoothing <= 1:
            raise ValueError(f"label_smoothing must be between 0 and 1, got {label_smoothing}")
        self.reduction, self.label_smoothing = reduction, float(label_smoothing)

    def forward(self, input, target):
        """Loss of scores ``input`` (N, K) for labels ``target`` (N,) of ints in [0, K).

        Returns a scalar (or (N,) for ``reduction='none'``). Caches p and q.
        """
        z, target = np.asarray(input), np.asarray(target)
        shapes_fit = z.ndim == 2 and target.shape == z.shape[:1] and target.dtype.kind in "iu"
        if not (shapes_fit and (0 <= target).all() and (target < z.shape[1]).all()):
            raise ValueError(
                f"{self!r} expects input (N, K) and target (N,) of class indices in [0, K), "
                f"got input of shape {z.shape} and target {target.tolist()!r:.60} of shape "
                f"{target.shape}, dtype {target.dtype}"
            )
        shifted = z - z.max(axis=1, keepdims=True)  # softmax is unchanged, and exp cannot overflow
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        q = np.full_like(log_p, self.label_smoothing / z.shape[1])
        q[np.arange(len(target)), target] += 1 - self.label_smoothing
        self.cache = np.exp(log_p), q
        losses = -(q * log_p).sum(axis=1)
        if self.reduction == "none":
            return losses
        return losses.mean() if self.reduction == "mean" else losses.sum()

    def backward(self, dout=1.0):
        """∂loss_n/∂z_{n,k} = p_{n,k} − q_{n,k}: softmax minus target; the mean divides by N.

        ``dout`` is ∂L/∂loss: 1 when the loss is what is minimised, an (N,)
        array for ``reduction='none'``. Returns ∂L/∂input (N, K).
        """
        p, q = self.cache
        dout = np.asarray(dout, dtype=p.dtype)
        if self.reduction == "none":
            return (p - q) * dout[:, None]
        return (p - q) * (dout / len(p) if self.reduction == "mean" else dout)
