"""Training: mini-batches on the device, the loop, early stopping, several processes."""
