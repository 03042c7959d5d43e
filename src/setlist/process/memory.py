"""Memory: giving freed memory back to the system (glibc), and keeping the garbage
collector's full passes short.

glibc serves a block over 128 KiB with mmap and unmaps it when freed, but it raises
that line to the size of any such block freed, up to 32 MiB. After the first save
of a big queue (a JSON buffer of a few MB), every later buffer of that size comes
from the heap instead, and its pages stay resident once freed: some 5 MB more for
a 10,000-track queue. Pinning the line keeps big buffers in mmap.
"""

from __future__ import annotations

import gc
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


_frozen = False


def keep_startup_objects() -> None:
    """Leave the objects start-up made out of the garbage collector's full passes.

    Modules, classes, styles and the app's widgets live as long as the app does, yet
    each full pass walked them all again: 35-60 ms, now and then freezing a key press
    past a frame (scrolling a 10,000-track list). Without them a pass takes ~5 ms.
    Only cycles are affected: anything else is still freed when its last reference
    goes. Once per process.
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()  # what start-up left over goes first, rather than stay for good
        gc.freeze()
