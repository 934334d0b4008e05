"""The ``vae-augment`` command line."""
