"""ShuffledBatches: every training row once per epoch, only the training rows."""

import numpy as np
import torch

from vae_augment.model.tensors import TensorTable
from vae_augment.table.codec import EncodedTable
from vae_augment.training.batches import ShuffledBatches


def test_batches_of_some_rows_cover_exactly_those_rows_each_epoch():
    # Row i's number is i: the batches show which rows of the table they hold.
    numeric = np.arange(50, dtype=np.float32)[:, None]
    table = TensorTable.from_encoded(
        EncodedTable(numeric, np.zeros((50, 0), dtype=np.int64)), None, torch.device("cpu")
    )
    chosen = torch.tensor([3, 7, 8, 20, 21, 22, 40, 49])
    batches = ShuffledBatches(table, batch_size=3, rows=chosen)
    assert batches.n_batches(0) == 3
    generator = torch.Generator().manual_seed(0)
    epochs = [
        torch.cat([batch.numeric[:, 0] for batch in batches.epoch(e, generator)])
        for e in range(2)
    ]
    for seen in epochs:
        assert sorted(seen.long().tolist()) == chosen.tolist()
    assert not torch.equal(epochs[0], epochs[1])  # reshuffled
