"""The process itself: its memory (glibc, the garbage collector) and its file descriptors."""
