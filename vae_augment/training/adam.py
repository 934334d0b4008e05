"""Adam in one fused kernel call per step, without ``torch.optim``'s machinery.

Building any ``torch.optim.Optimizer`` imports ``torch._dynamo`` (its
``add_param_group`` is wrapped to be skipped by the compiler), about a second on a
quiet machine and several on a busy one: the first fit of every process paid it, more
than a whole fit of a small table. The update is the same kernel that
``torch.optim.Adam(fused=True)`` calls, with its defaults (betas 0.9 and 0.999, eps
1e-8, no weight decay), so training takes bit for bit the same steps.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

_BETA1, _BETA2, _EPS = 0.9, 0.999, 1e-8


class FusedAdam:
    """Adam over ``parameters`` with learning rate ``lr``.

    Like ``torch.optim.Adam``, a parameter's moments and step count start at zero and
    advance only on steps where it has a gradient. All parameters must share one
    device and dtype (one module's).
    """

    def __init__(self, parameters: Iterable[torch.nn.Parameter], lr: float) -> None:
        self.params = [p for p in parameters if p.requires_grad]
        self.lr = lr
        self.exp_avgs = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sqs = [torch.zeros_like(p) for p in self.params]
        # float32 step counts on the parameters' device, as the fused kernel reads them
        self.steps = [
            torch.zeros((), dtype=torch.float32, device=p.device) for p in self.params
        ]

    def zero_grad(self) -> None:
        """Drop every parameter's gradient (``set_to_none``: the next one is fresh)."""
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        """Update every parameter that has a gradient."""
        live = [i for i, p in enumerate(self.params) if p.grad is not None]
        if not live:
            return
        steps = [self.steps[i] for i in live]
        torch._foreach_add_(steps, 1)
        torch._fused_adam_(
            [self.params[i] for i in live],
            [self.params[i].grad for i in live],
            [self.exp_avgs[i] for i in live],
            [self.exp_avg_sqs[i] for i in live],
            [],
            steps,
            amsgrad=False,
            lr=self.lr,
            beta1=_BETA1,
            beta2=_BETA2,
            weight_decay=0.0,
            eps=_EPS,
            maximize=False,
            grad_scale=None,
            found_inf=None,
        )
