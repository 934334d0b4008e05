"""Small real tables shipped with the package."""
