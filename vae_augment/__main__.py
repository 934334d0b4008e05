"""``python -m vae_augment`` runs the ``vae-augment`` command line."""

import sys

from .cli.main import main

sys.exit(main())
