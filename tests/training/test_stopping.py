"""Early stopping keeps a copy of the best weights and stops after its patience."""

import torch

from vae_augment.training.stopping import EarlyStopping, TrainingHistory


def test_keeps_a_copy_of_the_best_weights_and_stops_after_patience():
    module = torch.nn.Linear(2, 1)
    history = TrainingHistory()
    stopping = EarlyStopping(2, history)
    assert not stopping.on_epoch_end(1, 5.0, module)
    best = module.weight.detach().clone()
    with torch.no_grad():
        module.weight.add_(1.0)  # later epochs change the weights in place
    assert not stopping.on_epoch_end(2, 6.0, module)
    assert stopping.on_epoch_end(3, 5.5, module)  # two epochs without improvement
    assert (history.best_epoch, history.best_loss) == (1, 5.0)
    stopping.restore_best(module)
    assert torch.equal(module.weight, best)
