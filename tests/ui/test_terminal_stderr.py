"""What C libraries print on stderr goes to the log, never over the app's screen."""

from __future__ import annotations

from pathlib import Path

from terminal_support import Terminal, private_env

# An ALSA device that does not exist: libasound says so on descriptor 2 itself.
NO_SUCH_DEVICE = '[playback.mpv]\nao = "alsa"\naudio-device = "alsa/setlist-no-such-device"\n'


def test_audio_library_errors_go_to_the_log_not_the_screen(tmp_path: Path) -> None:
    env = private_env(tmp_path / "home", NO_SUCH_DEVICE)
    term = Terminal("--demo", env=env)
    try:
        assert term.read(20, until=b"Your playlists"), "the home screen was not drawn"
        term.press(b"/")
        term.read(1)
        term.press(b"long tone\r")
        assert term.read(5, until=b"yourmusic"), "no search results"
        term.press(b"\r")
        assert term.read(15, until=b"Could not play"), "the failure was not said"
        term.press(b"q")
        assert term.exited(5)
    finally:
        term.close()
    assert b"ALSA lib" not in term.output
    log = Path(env["XDG_STATE_HOME"]) / "setlist" / "log" / "setlist.log"
    assert "ALSA lib" in log.read_text(encoding="utf-8", errors="replace")


def test_setlist_play_says_what_went_wrong_without_the_librarys_lines(tmp_path: Path) -> None:
    env = private_env(tmp_path / "home", NO_SUCH_DEVICE)
    term = Terminal("play", "--demo", "track:3002", env=env)  # stdout and stderr: the pty
    try:
        assert term.exited(20), "setlist play did not give up on a missing sound device"
        term.read(0.2)  # what was still on its way
    finally:
        term.close()
    shown = term.output.decode(errors="replace")
    assert "▶ Noon Tone" in shown
    assert "the audio output ao=alsa could not be opened" in shown
    assert "ALSA lib" not in shown
    log = Path(env["XDG_STATE_HOME"]) / "setlist" / "log" / "play.log"
    assert "Unknown PCM setlist-no-such-device" in log.read_text(encoding="utf-8")
