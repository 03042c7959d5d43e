"""The demo's Jamendo lyrics and sung tracks: `include=lyrics` and `include=musicinfo`.

Most demo tracks are instrumental tones, so they have no lyrics (Jamendo sends
`"lyrics": ""`). A few are given words and a voice, some of them hostile: markup,
terminal escapes and shell text, which every screen must show as they are.
"""

from __future__ import annotations

from typing import Any

# By track id. A track not here has no lyrics.
LYRICS: dict[str, str] = {
    "1001": (
        "Night signal on the wire\n"
        "Counting lights along the pier\n"
        "\n"
        "[bold]Hold[/bold] the line, the line is clear\n"
        "Night signal, I am here"
    ),
    "1009": "שיר השירים אשר לשלמה\nישקני מנשיקות פיהו",
    "1017": "星の海を渡って\n君の声が聞こえる",
    "1027": (
        "[link=https://example.com]Click[/link] here to sing along\n"
        "\x1b[31mred\x1b[0m letters, $(rm -rf ~) & <script>alert(1)</script>\n"
        "[/] a closing tag with nothing open"
    ),
}

# Tracks with a voice: (language, gender of the voice, speed, instruments, moods).
SUNG: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = {
    "1001": ("en", "female", "high", ("synthesizer", "voice"), ("energetic", "night")),
    "1009": ("he", "male", "low", ("guitar", "voice"), ("calm",)),
    "1017": ("ja", "female", "verylow", ("piano", "voice"), ("dreamy",)),
    "1027": (
        "en",
        "[red]male[/red]",
        "$(speed)",
        ("[b]drums[/b]", "\x1b[2Jguitar"),
        ("<script>", "rm -rf /", "[link=https://example.com]mood[/link]"),
    ),
}


def lyrics(track_id: str) -> str:
    return LYRICS.get(track_id, "")


def musicinfo(track_id: str, tags: tuple[str, ...]) -> dict[str, Any]:
    sung = SUNG.get(track_id)
    if sung is None:
        return {
            "vocalinstrumental": "instrumental",
            "lang": "",
            "gender": "",
            "acousticelectric": "electric",
            "speed": "medium",
            "tags": {"genres": list(tags), "instruments": ["synthesizer"], "vartags": []},
        }
    lang, gender, speed, instruments, moods = sung
    return {
        "vocalinstrumental": "vocal",
        "lang": lang,
        "gender": gender,
        "acousticelectric": "electric",
        "speed": speed,
        "tags": {"genres": list(tags), "instruments": list(instruments), "vartags": list(moods)},
    }
