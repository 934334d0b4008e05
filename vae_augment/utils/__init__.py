"""Small mechanisms every layer shares: optional imports, files, seeds, argument checks."""
