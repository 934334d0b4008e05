"""How much memory this machine has (for refusing work that cannot fit)."""

from __future__ import annotations

import os

#: Assumed where the operating system does not say (Windows).
_UNKNOWN_MEMORY = 16 * 2**30


def physical_memory() -> int:
    """Bytes of physical memory of this machine (16 GiB where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return _UNKNOWN_MEMORY
