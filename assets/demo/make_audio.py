"""Regenerate the demo catalog's audio under src/setlist/demo/media/ from CATALOG.

Usage: .venv/bin/python assets/demo/make_audio.py   (or `make audio`; needs ffmpeg on PATH)

Every track becomes a steady tone at its `pitch_hz` (quiet 2nd and 3rd harmonics so it
sounds like a note; the fundamental stays the dominant frequency), 44.1 kHz mono, with a
5 ms fade in and out and no other silence, so gapless playback can be measured.

- YourMusic: one HLS VOD media playlist per variant, `ym/<id>/v<k>/index.m3u8` with
  relative `seg<n>.ts` segments of about 4 s, AAC at the variant's bitrate. The AAC
  encoder adds one 1024-sample priming frame; the tone fills the rest, so the decoded
  length is exactly `duration` (which the catalog keeps as a whole number of frames).
- Jamendo: `jm/<id>.mp3` (LAME, 48 kbps) and `jm/<id>.ogg` (Vorbis), exactly `duration`
  seconds once decoded (LAME's gapless header and Ogg granule positions trim padding).

The output is deterministic: same catalog and same ffmpeg give the same bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MEDIA = REPO / "src" / "setlist" / "demo" / "media"

SAMPLE_RATE = 44100
AAC_FRAME = 1024  # samples per AAC frame; the encoder primes with exactly one
FADE_SAMPLES = round(0.005 * SAMPLE_RATE)
SEGMENT_SECONDS = 4
MP3_BITRATE = "48k"
VORBIS_QUALITY = "0"
MAX_TOTAL_BYTES = 5 * 1024 * 1024

# Relative levels of the fundamental and of the 2nd and 3rd harmonics.
HARMONICS = ((1, 0.5), (2, 0.04), (3, 0.015))

# Flags that keep ffmpeg's version and clock out of the files.
BITEXACT = ["-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1"]


@dataclass(frozen=True, slots=True)
class Job:
    """One tone to render and the encodings to make from it."""

    name: str
    pitch_hz: float
    samples: int  # length of the tone itself
    decoded_samples: int  # expected length after decoding each output
    encodings: tuple[tuple[Path, list[str]], ...]  # (output file, ffmpeg output options)


def ym_frames(duration: float) -> int:
    """The number of AAC frames (priming included) whose length is `duration`."""
    frames = round(duration * SAMPLE_RATE / AAC_FRAME)
    exact = frames * AAC_FRAME / SAMPLE_RATE
    if abs(exact - duration) > 0.0005:
        raise SystemExit(
            f"YourMusic duration {duration} is not a whole number of AAC frames: "
            f"use {exact:.3f} (or {(frames + 1) * AAC_FRAME / SAMPLE_RATE:.3f})"
        )
    return frames


def ffmpeg(args: list[str]) -> bytes:
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]
    result = subprocess.run(cmd, capture_output=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}\n{result.stderr.decode(errors='replace')}")
    return result.stdout


def render_tone(path: Path, pitch_hz: float, samples: int) -> None:
    """Write a 16-bit mono WAV of `samples` samples of the tone, with 5 ms fades."""
    expr = "+".join(f"{level}*sin({2 * n}*PI*{pitch_hz}*t)" for n, level in HARMONICS)
    seconds = samples / SAMPLE_RATE + 0.1
    filters = ",".join(
        [
            f"atrim=end_sample={samples}",
            f"afade=t=in:ss=0:ns={FADE_SAMPLES}",
            f"afade=t=out:ss={samples - FADE_SAMPLES}:ns={FADE_SAMPLES}",
        ]
    )
    source = f"aevalsrc=exprs='{expr}':s={SAMPLE_RATE}:d={seconds}"
    ffmpeg(["-f", "lavfi", "-i", source, "-af", filters, "-c:a", "pcm_s16le", *BITEXACT, str(path)])


def decoded_samples(path: Path) -> int:
    pcm = ffmpeg(["-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"])
    return len(pcm) // 2


def hls_options(bitrate_kbps: int, folder: Path) -> list[str]:
    return [
        "-c:a", "aac", "-b:a", f"{bitrate_kbps}k", "-ac", "1", "-ar", str(SAMPLE_RATE),
        "-f", "hls",
        "-hls_time", str(SEGMENT_SECONDS),
        "-hls_playlist_type", "vod",
        "-hls_flags", "independent_segments",
        "-hls_segment_filename", str(folder / "seg%d.ts"),
    ]  # fmt: skip


def vorbis_options() -> list[str]:
    encoders = ffmpeg(["-encoders"]).decode()
    if " libvorbis " in encoders:
        return ["-c:a", "libvorbis", "-q:a", VORBIS_QUALITY]
    return ["-c:a", "vorbis", "-strict", "-2", "-q:a", VORBIS_QUALITY]


def plan() -> list[Job]:
    sys.path.insert(0, str(REPO / "src"))
    from setlist.demo.catalog_data import CATALOG

    jobs: list[Job] = []
    for track in CATALOG.ym_tracks:
        frames = ym_frames(track.duration)
        encodings = []
        for k, variant in enumerate(track.variants):
            folder = MEDIA / "ym" / str(track.id) / f"v{k}"
            encodings.append((folder / "index.m3u8", hls_options(variant.bitrate_kbps, folder)))
        jobs.append(
            Job(
                f"ym/{track.id}",
                track.pitch_hz,
                samples=(frames - 1) * AAC_FRAME,
                decoded_samples=frames * AAC_FRAME,
                encodings=tuple(encodings),
            )
        )
    vorbis = vorbis_options()
    mono = ["-ac", "1", "-ar", str(SAMPLE_RATE)]
    for track in CATALOG.jm_tracks:
        samples = track.duration * SAMPLE_RATE
        mp3 = ["-c:a", "libmp3lame", "-b:a", MP3_BITRATE, *mono, "-id3v2_version", "0"]
        jobs.append(
            Job(
                f"jm/{track.id}",
                track.pitch_hz,
                samples=samples,
                decoded_samples=samples,
                encodings=(
                    (MEDIA / "jm" / f"{track.id}.mp3", mp3),
                    (MEDIA / "jm" / f"{track.id}.ogg", [*vorbis, *mono]),
                ),
            )
        )
    return jobs


def run(job: Job, scratch: Path) -> str:
    wav = scratch / (job.name.replace("/", "_") + ".wav")
    render_tone(wav, job.pitch_hz, job.samples)
    for output, options in job.encodings:
        output.parent.mkdir(parents=True, exist_ok=True)
        ffmpeg(["-i", str(wav), *options, *BITEXACT, str(output)])
        got = decoded_samples(output)
        if got != job.decoded_samples:
            raise RuntimeError(
                f"{output}: decodes to {got} samples, expected {job.decoded_samples}"
            )
    wav.unlink()
    return job.name


def remove_stale() -> None:
    for sub in ("ym", "jm"):
        shutil.rmtree(MEDIA / sub, ignore_errors=True)


def total_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def main(log: Callable[[str], None] = print) -> int:
    if shutil.which("ffmpeg") is None:
        log("ffmpeg is not on PATH: install it (Debian: apt-get install ffmpeg)")
        return 1
    jobs = plan()
    remove_stale()
    MEDIA.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor() as pool:
        for name in pool.map(lambda job: run(job, Path(tmp)), jobs):
            log(f"  {name}")
    size = total_bytes(MEDIA)
    log(f"{len(jobs)} tracks written to {MEDIA.relative_to(REPO)}: {size} bytes")
    if size >= MAX_TOTAL_BYTES:
        log(f"too big: the demo audio must stay under {MAX_TOTAL_BYTES} bytes")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
