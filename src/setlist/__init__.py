"""setlist: a keyboard-first terminal music player."""

__version__ = "0.1.0"
