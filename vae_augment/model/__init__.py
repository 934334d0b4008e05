"""The torch VAE: tensors, the network, the latent prior and the one inference path."""
