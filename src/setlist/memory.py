"""Giving freed memory back to the system, on glibc.

glibc serves a block over 128 KiB with mmap and unmaps it when freed, but it raises
that line to the size of any such block freed, up to 32 MiB. After the first save
of a big queue (a JSON buffer of a few MB), every later buffer of that size comes
from the heap instead, and its pages stay resident once freed: some 5 MB more for
a 10,000-track queue. Pinning the line keeps big buffers in mmap.
"""

from __future__ import annotations

import os

M_MMAP_THRESHOLD = -3  # malloc.h
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value


def give_back_big_blocks() -> None:
    """Keep glibc serving big blocks with mmap (elsewhere: nothing to do)."""
    try:
        glibc = os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError):  # not a glibc system
        return
    if not glibc:
        return
    import ctypes

    ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
