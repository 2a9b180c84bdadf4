"""Training for :mod:`helpers.contextual`'s attention model: Adam on shuffled minibatches of masked examples.

Kept apart from the model so each module has one job: the model and its gradients there, the optimiser here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

from ..params import check
from ..plots.progress import Progress
from ..validation import check_generator
from .attention import AttentionModel
from .layer import MaskedExamples, loss_and_grads


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Run numpy's matrix products on one thread. These (256 x 16) @ (16 x V) products are too small to share:
    OpenBLAS splits them over threads anyway, and on a busy 2-core machine an epoch then took 12x longer."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - it is in requirements.txt; without it training is only slower
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


class MaskedTrainer:
    """Adam on shuffled minibatches of masked examples; :meth:`train` can be called again to continue.

    Parameters
    ----------
    model : AttentionModel
        Trained in place.
    examples : MaskedExamples
    rng : numpy.random.Generator
        Shuffles the examples each epoch (the only randomness after the model's start).
    lr : float, > 0 (Adam's step size; helpers.params declares the range)
    batch_size : int, >= 1
    """

    def __init__(self, model: AttentionModel, examples: MaskedExamples, rng: np.random.Generator, *,
                 lr: float = 0.01, batch_size: int = 256) -> None:
        check_generator(rng)
        if examples.tokens.shape[1] > model.max_len:
            raise ValueError(f"examples have {examples.tokens.shape[1]} positions but the model has max_len="
                             f"{model.max_len}; create the model with a larger max_len")
        self.model, self.examples, self.rng = model, examples, rng
        self.lr = check("lr", lr)
        self.batch_size = check("batch_size", batch_size)
        self.moments = {k: (np.zeros_like(p), np.zeros_like(p)) for k, p in model.params.items()}
        self.steps = 0
        self.epoch_losses: list[float] = []  # mean minibatch loss of each epoch

    def train(self, epochs: int, *, progress: bool = True) -> list[float]:
        """Run ``epochs`` passes over the examples; return each epoch's mean minibatch loss."""
        epochs = check("epochs", epochs)
        n = len(self.examples)
        bar = Progress(epochs * n, "masked-word training", show=progress)
        with _one_blas_thread():
            losses = self._epochs(epochs, bar)
        self.epoch_losses.extend(losses)
        bar.close(f"{len(self.epoch_losses)} epochs, loss {losses[-1]:.3f}")
        return losses

    def _epochs(self, epochs: int, bar: Progress) -> list[float]:
        n = len(self.examples)
        losses = []
        for _ in range(epochs):
            order = self.rng.permutation(n)
            total = 0.0
            for start in range(0, n, self.batch_size):
                batch = self.examples.subset(order[start:start + self.batch_size])
                loss, grads = loss_and_grads(self.model.params, batch)
                if not np.isfinite(loss):
                    bar.close(f"stopped: the loss is {loss}")
                    raise FloatingPointError(f"the loss became {loss} at step {self.steps}: lower lr (now {self.lr})")
                self._adam(grads)
                total += loss * len(batch)
                bar.update(len(batch))
            losses.append(total / n)
            bar.update(0, f"epoch {len(self.epoch_losses) + len(losses)}: loss {losses[-1]:.3f}")
        return losses

    def _adam(self, grads: dict[str, np.ndarray], beta1: float = 0.9, beta2: float = 0.999) -> None:
        self.steps += 1
        for name, g in grads.items():
            m, s = self.moments[name]
            m *= beta1
            m += (1 - beta1) * g
            s *= beta2
            s += (1 - beta2) * g * g
            step = self.lr * (m / (1 - beta1 ** self.steps)) / (np.sqrt(s / (1 - beta2 ** self.steps)) + 1e-8)
            self.model.params[name] -= step
