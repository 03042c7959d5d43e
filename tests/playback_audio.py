"""Helpers for the playback tests: mpv writing decoded audio to a file, and its analysis.

mpv's `pcm` audio output writes what it would play: s16 mono 44.1 kHz here, raw,
appended (a WAV header would be rewritten, and the file truncated, each time mpv
reopens its output). It runs as fast as mpv decodes; the `arealtime` filter paces
it when a test needs the player to react while a track is still playing.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 44100


def pcm_options(path: Path, *, speed: float | None = None) -> dict[str, str]:
    """mpv options writing decoded audio to `path`; `speed`: pace at that many times real time."""
    options = {
        "ao": "pcm",
        "ao-pcm-file": str(path),
        "ao-pcm-waveheader": "no",
        "ao-pcm-append": "yes",
        "audio-format": "s16",
        "audio-channels": "mono",
        "audio-samplerate": str(RATE),
    }
    if speed is not None:
        options["af"] = f"lavfi=[arealtime=speed={speed}]"
    return options


def realtime_options(speed: float = 1.0) -> dict[str, str]:
    """mpv options for a silent output that keeps time (position events, pause)."""
    return {"ao": "null", "ao-null-speed": str(speed)}


def read_pcm(path: Path) -> np.ndarray:
    """The decoded audio as floats in [-1, 1]."""
    return np.frombuffer(path.read_bytes(), dtype="<i2").astype(np.float64) / 32768.0


def dominant_frequency(samples: np.ndarray, rate: int = RATE) -> float:
    """The strongest frequency, refined between FFT bins (parabolic interpolation)."""
    windowed = samples * np.hanning(len(samples))
    spectrum = np.abs(np.fft.rfft(windowed, n=4 * len(samples)))
    k = int(np.argmax(spectrum[1:-1])) + 1
    a, b, c = np.log(spectrum[k - 1 : k + 2] + 1e-12)
    offset = 0.5 * (a - c) / (a - 2 * b + c)
    return (k + offset) * rate / (4 * len(samples))


@dataclass(frozen=True)
class Tone:
    pitch: float  # Hz, rounded to the nearest 20 Hz step of the demo catalog
    start: float  # seconds into the decoded audio
    length: float  # seconds


def tones(samples: np.ndarray, rate: int = RATE, window: float = 0.05) -> list[Tone]:
    """Runs of one pitch, window by window; silent windows end a run and are skipped."""
    size = int(rate * window)
    runs: list[Tone] = []
    for i in range(len(samples) // size):
        chunk = samples[i * size : (i + 1) * size]
        if np.sqrt(np.mean(chunk**2)) < 0.01:
            continue
        pitch = round(dominant_frequency(chunk, rate) / 20) * 20
        start = i * window
        last = runs[-1] if runs else None
        if last and last.pitch == pitch and abs(last.start + last.length - start) < 1e-6:
            runs[-1] = Tone(pitch, last.start, last.length + window)
        else:
            runs.append(Tone(pitch, start, window))
    return runs


def pitch_sequence(samples: np.ndarray, *, min_length: float = 0.5) -> list[float]:
    """The pitches heard, in order, ignoring blips shorter than `min_length` seconds."""
    sequence: list[float] = []
    for tone in tones(samples):
        if tone.length >= min_length and (not sequence or sequence[-1] != tone.pitch):
            sequence.append(tone.pitch)
    return sequence


def silences(
    samples: np.ndarray, *, threshold: float = 0.01, rate: int = RATE
) -> list[tuple[float, float]]:
    """(start, length) in seconds of every run of samples quieter than `threshold`."""
    quiet = np.abs(samples) < threshold
    edges = np.diff(np.concatenate(([0], quiet.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return [(s / rate, (e - s) / rate) for s, e in zip(starts, ends, strict=True)]


def longest_silence_near(
    samples: np.ndarray, at: float, *, span: float = 0.5, threshold: float = 0.01
) -> float:
    """The longest quiet run (seconds) within `span` seconds either side of `at`.

    A sine crosses zero twice a cycle, so a run of a few samples is normal inside a
    tone; the threshold is low enough that those stay well under a millisecond.
    """
    lo = max(0, int((at - span) * RATE))
    hi = min(len(samples), int((at + span) * RATE))
    runs = silences(samples[lo:hi], threshold=threshold)
    return max((length for _, length in runs), default=0.0)


def tagged_mp3(path: Path, *, title: str, artist: str, album: str, seconds: float = 4.0) -> Path:
    """An MP3 tone at `path` (a name unlike its title) with ID3 title, artist and album tags,
    made by ffmpeg (the tests' audio tool: `make test` installs it)."""
    assert shutil.which("ffmpeg"), "ffmpeg is needed to make a tagged MP3 (make test installs it)"
    tone = f"sine=frequency=440:duration={seconds}"
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", tone]
    for key, value in (("title", title), ("artist", artist), ("album", album)):
        command += ["-metadata", f"{key}={value}"]
    command += ["-c:a", "libmp3lame", "-b:a", "64k", str(path)]
    subprocess.run(command, check=True, timeout=60, capture_output=True)
    return path
