"""``python -m vae_augment`` runs the ``vae-augment`` command line."""

import sys

from ._cli import main

sys.exit(main())
