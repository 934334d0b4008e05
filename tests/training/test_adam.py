"""FusedAdam: torch's fused Adam step, bit for bit, without torch.optim."""

import torch

from vae_augment.training.adam import FusedAdam


def _network(seed: int) -> torch.nn.Module:
    torch_generator = torch.Generator().manual_seed(seed)
    network = torch.nn.Sequential(
        torch.nn.Linear(5, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2)
    )
    with torch.no_grad():
        for p in network.parameters():
            p.copy_(torch.randn(p.shape, generator=torch_generator))
    return network


def _train(network, optimizer, frozen_from: int) -> None:
    generator = torch.Generator().manual_seed(1)
    for step in range(6):
        x = torch.randn(16, 5, generator=generator)
        optimizer.zero_grad()
        out = network(x)
        # From ``frozen_from`` on, the last layer gets no gradient: its state must wait.
        loss = out.pow(2).mean() if step < frozen_from else network[0](x).sum()
        loss.backward()
        optimizer.step()


def test_same_steps_as_torch_fused_adam_also_when_a_parameter_has_no_gradient():
    ours, reference = _network(0), _network(0)
    _train(ours, FusedAdam(ours.parameters(), lr=0.01), frozen_from=3)
    _train(
        reference,
        torch.optim.Adam(reference.parameters(), lr=0.01, fused=True),
        frozen_from=3,
    )
    for mine, theirs in zip(ours.parameters(), reference.parameters(), strict=True):
        assert torch.equal(mine, theirs)
