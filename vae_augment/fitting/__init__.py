"""Fitting: what fit learned (one object), how it is learned, and what it generates."""
