"""The demo catalog's content: YourMusic, Jamendo and Last.fm data.

Rules this data keeps (tests/test_demo_catalog.py checks them):
- Every track of both catalogs has its own pitch: 220 + 20*k Hz, k counting all YourMusic
  tracks and then all Jamendo tracks in the order they appear below. The audio under
  `media/` is a tone at that pitch (`assets/demo/make_audio.py` writes it).
- A YourMusic `duration` is the real length of the decoded HLS audio: a whole number of
  1024-sample AAC frames at 44.1 kHz (the first frame is the encoder's priming), rounded
  to the millisecond. A Jamendo `duration` is whole seconds, and the MP3/Ogg files are
  exactly that long.
- Names that break terminal UIs on purpose: accents, CJK, right-to-left, emoji, a very
  long title, text that looks like Rich/Textual markup, escape and control characters.
  Plain ASCII names ("The Sine Waves", "Morning Tone", "Night Signal") keep search easy.
"""

from __future__ import annotations

from setlist.demo.catalog import (
    Catalog,
    JMAlbum,
    JMArtist,
    JMFeed,
    JMPlaylist,
    JMRadio,
    JMTrack,
    LastfmAlbum,
    Variant,
    YMArtist,
    YMPlaylist,
    YMRelease,
    YMTrack,
)

# Two renditions for the tracks that test variant switching; the rest have the default
# single Variant(48, 64000).
TWO_VARIANTS = (Variant(32, 48000), Variant(96, 128000))

LONG_TITLE = (
    "A Very Long Song Title That Keeps Going Past the Edge of Any Reasonable Terminal "
    "Column, Because Some Artists Really Do Name Their Songs Like This "
    "(Part One of Seven) [Remastered Deluxe Anniversary Edition]"
)

# ---------------------------------------------------------------------------- YourMusic

YM_ARTISTS = (
    YMArtist(
        1000,
        "The Sine Waves",
        "Sine Waves, The",
        "the-sine-waves",
        bio="A synth duo that only ever plays pure tones.",
        popularity=0.9,
    ),
    YMArtist(
        1001,
        "Édith Sørensen",
        "Sørensen, Édith",
        "edith-sorensen",
        bio="Chanteuse from Århus who sings in French, Danish and German.",
        popularity=0.7,
    ),
    YMArtist(
        1002,
        "Mötley Çrüe Collective",
        "Mötley Çrüe Collective",
        "motley-crue-collective",
        bio="Heavy metal with more umlauts than riffs.",
        popularity=0.6,
    ),
    YMArtist(
        1003,
        "坂本 美雨子",
        "Sakamoto Miuko",
        "sakamoto-miuko",
        bio="東京のシンガーソングライター。",
        popularity=0.5,
    ),
    YMArtist(
        1004,
        "فيروز الصغيرة",
        "فيروز الصغيرة",
        "fairuz-al-saghira",
        bio="مغنية من بيروت.",
        popularity=0.4,
    ),
    YMArtist(
        1005,
        "The Escape Characters",
        "Escape Characters, The",
        "the-escape-characters",
        bio="[red]Not red[/red]: a band whose song titles are bug reports.",
        popularity=0.3,
    ),
)

YM_RELEASES = (
    YMRelease(2000, "Tone Studies", 1000, 2019, upc="000000020001", popularity=0.9),
    YMRelease(2001, "🎸 Night Drive 🌙", 1000, 2021, type="single", upc="000000020018"),
    YMRelease(2002, "Chansons d'Été", 1001, 2018, upc="000000020025", popularity=0.7),
    YMRelease(
        2003, "Ümlaut Overdrive", 1002, 2017, upc="000000020032", explicit=True, popularity=0.6
    ),
    YMRelease(2004, "夜明けのメロディ", 1003, 2020, upc="000000020049", popularity=0.5),
    YMRelease(2005, "ليالي بيروت", 1004, 2016, upc="000000020056", popularity=0.4),
    YMRelease(2006, "Markup & Mayhem", 1005, 2022, upc="000000020063", popularity=0.3),
    YMRelease(2007, LONG_TITLE, 1001, 2023, type="single", version="Deluxe", upc="000000020070"),
)

YM_TRACKS = (
    # Tone Studies: the plain ASCII set.
    YMTrack(3000, "e51bda97-d47b-5920-b3f6-06f87e449e28", "Morning Tone", 1000, 2000, 1,
            5.991, 220.0, variants=TWO_VARIANTS, isrc="ZZDEM1900001"),
    YMTrack(3001, "1faf94e2-6fd4-534b-b56a-cfc4cfcfd298", "Evening Tone", 1000, 2000, 2,
            6.989, 240.0, variants=TWO_VARIANTS, isrc="ZZDEM1900002"),
    YMTrack(3002, "2f084b9f-15fd-59a3-96ff-0f8850f07151", "Noon Tone", 1000, 2000, 3,
            4.992, 260.0, isrc="ZZDEM1900003"),
    YMTrack(3003, "dbeee6ba-d9b5-5f62-9d1f-ea592589c253", "Midnight Tone", 1000, 2000, 4,
            5.991, 280.0, isrc="ZZDEM1900004"),
    YMTrack(3004, "4e67d362-1d13-5b48-a78c-a6a372f5ef67", "Twilight Tone", 1000, 2000, 5,
            4.992, 300.0, isrc="ZZDEM1900005"),
    YMTrack(3005, "2fa13d87-23ed-5628-bd42-f5d9a3109618", "The Long Tone", 1000, 2000, 6,
            60.0, 320.0, version="Extended", isrc="ZZDEM1900006"),
    # Night Drive (single): emoji.
    YMTrack(3006, "645c0d37-4318-53b0-b53c-6c378b8d5b94", "🎸 Night Drive 🌙", 1000, 2001, 1,
            6.989, 340.0, isrc="ZZDEM2100001"),
    # Chansons d'Été: accents.
    YMTrack(3007, "87562b60-8be3-5512-8064-414ae94be2bb", "Café Crème", 1001, 2002, 1,
            5.991, 360.0, variants=TWO_VARIANTS, isrc="ZZDEM1800001"),
    YMTrack(3008, "5be98d2c-b6d6-5e14-86a2-f6ae8687a604", "Ça Ira, Ça Ira", 1001, 2002, 2,
            4.992, 380.0, isrc="ZZDEM1800002"),
    YMTrack(3009, "034f3c44-b6f6-593c-8c3e-1f59a0b5c36c", "Über den Wolken", 1001, 2002, 3,
            6.989, 400.0, isrc="ZZDEM1800003"),
    YMTrack(3010, "dca68910-704b-5159-a631-670bcc594a37", "Søvnløs i København", 1001, 2002, 4,
            5.991, 420.0, isrc="ZZDEM1800004"),
    YMTrack(3011, "47fa0769-1eb1-5488-b429-261ba3ab607e", "Naïve Réveil", 1001, 2002, 5,
            4.992, 440.0, isrc="ZZDEM1800005"),
    # Ümlaut Overdrive: more accents, explicit.
    YMTrack(3012, "9066adef-7790-5d71-bce3-93ac3430fdd3", "Ümlaut Overdrive", 1002, 2003, 1,
            4.992, 460.0, explicit=True, isrc="ZZDEM1700001"),
    YMTrack(3013, "09206221-79fe-57e6-b1e0-1234b6eb8c2a", "Grüne Gitarre", 1002, 2003, 2,
            5.991, 480.0, isrc="ZZDEM1700002"),
    YMTrack(3014, "53467804-d392-5cb9-8e8a-24d149703c35", "Façade Façade", 1002, 2003, 3,
            3.994, 500.0, isrc="ZZDEM1700003"),
    YMTrack(3015, "30b6e603-2413-5fd7-b6f7-d6440d47c7cc", "Hëavy Mëtal Nïght", 1002, 2003, 4,
            6.989, 520.0, explicit=True, isrc="ZZDEM1700004"),
    # 夜明けのメロディ: CJK (double-width cells).
    YMTrack(3016, "8db1ca40-56a9-574e-a249-54ac34892ba3", "夜明けのメロディ", 1003, 2004, 1,
            5.991, 540.0, variants=TWO_VARIANTS, isrc="ZZDEM2000001"),
    YMTrack(3017, "bb8a19e2-f254-565c-8992-97c094b0b8d0", "東京の雨", 1003, 2004, 2,
            4.992, 560.0, isrc="ZZDEM2000002"),
    YMTrack(3018, "e07193f9-343d-503e-bba6-00160c6df683", "さくら色の午後", 1003, 2004, 3,
            6.989, 580.0, isrc="ZZDEM2000003"),
    YMTrack(3019, "9b467604-c886-56bc-9fa2-4451758ff39e", "月光 (Gekkō)", 1003, 2004, 4,
            5.991, 600.0, isrc="ZZDEM2000004"),
    YMTrack(3020, "9ba37208-45c5-5cd4-b4df-2e57cf596e59", "서울의 밤 (Seoul Night)", 1003, 2004,
            5, 4.992, 620.0, isrc="ZZDEM2000005"),
    # ليالي بيروت: right-to-left, mixed direction, Arabic-Indic digits.
    YMTrack(3021, "87b0c1eb-8e23-567a-b8dc-f1326dd14874", "يا ليل يا عين", 1004, 2005, 1,
            5.991, 640.0, isrc="ZZDEM1600001"),
    YMTrack(3022, "80381b7e-3fcc-5b9d-9551-cbb136c13c31", "بيروت", 1004, 2005, 2,
            4.992, 660.0, isrc="ZZDEM1600002"),
    YMTrack(3023, "8b8e08ed-41ae-5a05-b796-bce317158a0c", "Habibi حبيبي (Radio Edit)", 1004,
            2005, 3, 6.989, 680.0, isrc="ZZDEM1600003"),
    YMTrack(3024, "8bc97fa7-40ea-5e5e-9dcb-03355c54a07c", "قمر ١٤", 1004, 2005, 4,
            3.994, 700.0, isrc="ZZDEM1600004"),
    # Markup & Mayhem: markup look-alikes, escape and control characters.
    YMTrack(3025, "30069614-541e-52a4-84e7-e66f298ff4b7", "[bold]Not Bold[/bold]", 1005, 2006,
            1, 3.994, 720.0, isrc="ZZDEM2200001"),
    YMTrack(3026, "9af2ca2a-54db-5408-aa06-514a9bd8fd16", "Close [/] Early", 1005, 2006, 2,
            4.992, 740.0, isrc="ZZDEM2200002"),
    YMTrack(3027, "8562ab27-93fb-5e48-9df5-1ecd78467bce", "Escape \x1b[31mRed\x1b[0m Song",
            1005, 2006, 3, 3.994, 760.0, isrc="ZZDEM2200003"),
    YMTrack(3028, "3121fbef-140a-56a7-ab9e-400141d83259", "Bell\x07 and Tab\t Title", 1005,
            2006, 4, 4.992, 780.0, isrc="ZZDEM2200004"),
    YMTrack(3029, "13364b26-f0e5-5ece-a448-994cea34b5be", "[@click=app.quit]Don't Quit[/]",
            1005, 2006, 5, 3.994, 800.0, isrc="ZZDEM2200005"),
    YMTrack(3030, "00546576-8c95-5226-9283-7bb7ec7a8a5d", "Back\\slash 100% {braces} $HOME",
            1005, 2006, 6, 4.992, 820.0, isrc="ZZDEM2200006"),
    # The very long title (single).
    YMTrack(3031, "9af0e7b3-434f-54b7-96c2-184002eef0bb", LONG_TITLE, 1001, 2007, 1,
            5.991, 840.0, isrc="ZZDEM2300001"),
)  # fmt: skip

YM_PLAYLISTS = (
    YMPlaylist(
        "c76d0ae5-4748-5f7e-85fb-910641a32540",
        "Morning Commute",
        True,
        (3000, 3007, 3016, 3006, 3002),
    ),
    # Consecutive tones: handy for gapless and queue tests.
    YMPlaylist(
        "7a127812-f29c-5ee5-86a1-1474291fd493",
        "Tone Ladder",
        False,
        (3000, 3001, 3002, 3003, 3004),
    ),
    YMPlaylist(
        "b91d6dc6-686b-5d94-a734-be6443943e2f",
        "🌍 World Tour",
        True,
        (3009, 3017, 3021, 3023, 3020, 3013),
    ),
    YMPlaylist(
        "531639f0-767d-5aa6-8b79-7bd2998c07df",
        "[bold]Weird[/bold] Names",
        False,
        (3025, 3026, 3027, 3028, 3029, 3030, 3031),
    ),
)

# ------------------------------------------------------------------------------ Jamendo

JM_ARTISTS = (
    JMArtist("501", "Pulse Garden", "2011-03-14", "https://example.com/pulse-garden"),
    JMArtist("502", "להקת החוף", "2012-07-01"),
    JMArtist("503", "Åsa Ljungström Trio", "2010-10-10", "https://example.com/asa-trio"),
    JMArtist("504", "星空 Hoshizora", "2013-08-08"),
    JMArtist("505", "🎧 Emoji Collective 🤖", "2018-12-24"),
)

JM_ALBUMS = (
    JMAlbum("601", "Neon Night Circuits", "501", "2014-05-02"),
    JMAlbum("602", "Warm Static", "501", "2016-11-20"),
    JMAlbum("603", "שיר השירים", "502", "2013-04-01"),
    JMAlbum("604", "Nordlys Jazz", "503", "2012-09-09"),
    JMAlbum("605", "星空の下で", "504", "2015-07-07"),
    JMAlbum("606", "Robot Dreams 🤖", "505", "2019-01-01"),
)

JM_TRACKS = (
    # Neon Night Circuits
    JMTrack("1001", "Night Signal", "501", "601", 1, 6, 860.0, "2014-05-02",
            ("electronic", "synthwave"), popularity=950),
    JMTrack("1002", "Neon Tone", "501", "601", 2, 5, 880.0, "2014-05-02",
            ("electronic", "ambient"), popularity=720),
    JMTrack("1003", "Circuit Breaker", "501", "601", 3, 7, 900.0, "2014-05-02",
            ("electronic", "rock"), popularity=610),
    JMTrack("1004", "Afterglow", "501", "601", 4, 4, 920.0, "2014-05-02",
            ("electronic", "chillout"), popularity=400),
    JMTrack("1005", "Night Bus Home", "501", "601", 5, 6, 940.0, "2014-05-02",
            ("electronic", "lofi"), audio_empty=True, popularity=350),
    # Warm Static: holds the long Jamendo track.
    JMTrack("1006", "Static Bloom", "501", "602", 1, 5, 960.0, "2016-11-20",
            ("electronic", "ambient"), popularity=300),
    JMTrack("1007", "Slow Tide", "501", "602", 2, 45, 980.0, "2016-11-20",
            ("ambient", "drone"), popularity=500),
    JMTrack("1008", "Warm Tone", "501", "602", 3, 6, 1000.0, "2016-11-20",
            ("ambient",), popularity=200),
    # שיר השירים: right-to-left.
    JMTrack("1009", "שיר השירים", "502", "603", 1, 6, 1020.0, "2013-04-01",
            ("folk", "world"), popularity=640),
    JMTrack("1010", "בוקר טוב ים", "502", "603", 2, 5, 1040.0, "2013-04-01",
            ("folk", "pop"), popularity=210),
    JMTrack("1011", "לילה (Night)", "502", "603", 3, 7, 1060.0, "2013-04-01",
            ("folk", "acoustic"), popularity=180),
    JMTrack("1012", "גלים 123 Waves", "502", "603", 4, 4, 1080.0, "2013-04-01",
            ("world", "rock"), popularity=90),
    # Nordlys Jazz: accents, one track the artist does not let anyone download.
    JMTrack("1013", "Blå Måndag", "503", "604", 1, 6, 1100.0, "2012-09-09",
            ("jazz",), popularity=800),
    JMTrack("1014", "Smörgåsbord Swing", "503", "604", 2, 5, 1120.0, "2012-09-09",
            ("jazz", "swing"), audiodownload_allowed=False, popularity=660),
    JMTrack("1015", "Fjärran Fjäll", "503", "604", 3, 8, 1140.0, "2012-09-09",
            ("jazz", "piano"), popularity=150),
    JMTrack("1016", "Ölkafé Blues", "503", "604", 4, 6, 1160.0, "2012-09-09",
            ("jazz", "blues"), popularity=120),
    # 星空の下で: CJK.
    JMTrack("1017", "星の海", "504", "605", 1, 7, 1180.0, "2015-07-07",
            ("ambient", "newage"), popularity=430),
    JMTrack("1018", "静かな夜 (Quiet Night)", "504", "605", 2, 6, 1200.0, "2015-07-07",
            ("ambient",), popularity=390),
    JMTrack("1019", "雲 Cloud", "504", "605", 3, 5, 1220.0, "2015-07-07",
            ("ambient", "electronic"), popularity=110),
    JMTrack("1020", "白い光", "504", "605", 4, 4, 1240.0, "2015-07-07",
            ("ambient", "classical"), popularity=60),
    JMTrack("1021", "Ambient Tone 夜", "504", "605", 5, 9, 1260.0, "2015-07-07",
            ("ambient",), popularity=240),
    # Robot Dreams: emoji, including a ZWJ family, a flag and a skin tone modifier.
    JMTrack("1022", "🎸 Night Drive 🌙 (Synth Remix)", "505", "606", 1, 6, 1280.0,
            "2019-01-01", ("electronic", "synthwave", "rock"), popularity=870),
    JMTrack("1023", "Rocket 🚀 Launch", "505", "606", 2, 5, 1300.0, "2019-01-01",
            ("electronic", "rock"), popularity=520),
    JMTrack("1024", "Family 👨‍👩‍👧‍👦 Picnic", "505", "606", 3, 4, 1320.0, "2019-01-01",
            ("pop",), popularity=75),
    JMTrack("1025", "Flag 🇯🇵 Parade", "505", "606", 4, 5, 1340.0, "2019-01-01",
            ("pop", "electronic"), popularity=40),
    JMTrack("1026", "Thumbs 👍🏽 Up Tone", "505", "606", 5, 6, 1360.0, "2019-01-01",
            ("electronic",), popularity=30),
    # Singles (no album).
    JMTrack("1027", "[link=https://example.com]Click[/link]", "501", "", 1, 5, 1380.0,
            "2020-04-01", ("electronic", "rock"), popularity=260),
    JMTrack("1028", "$(rm -rf) & <script>", "505", "", 1, 4, 1400.0, "2021-01-01",
            ("rock", "punk"), audiodownload_allowed=False, popularity=20),
    JMTrack("1029", "Ame\u0301lie's Combining Waltz", "503", "", 1, 6, 1420.0, "2017-02-14",
            ("jazz", "waltz"), popularity=140),
    JMTrack("1030", "Ｆｕｌｌｗｉｄｔｈ Ｔｏｎｅ", "504", "", 1, 5, 1440.0, "2018-03-03",
            ("ambient", "experimental"), popularity=10),
    # A guest on someone else's album: the track's artist is not the album's.
    JMTrack("1031", "Robot Swing (feat. Åsa)", "503", "606", 6, 4, 1460.0, "2019-01-01",
            ("swing",), popularity=5),
)  # fmt: skip

JM_PLAYLISTS = (
    JMPlaylist(
        "701",
        "Late Night Coding",
        "2020-02-02",
        "901",
        "demo_listener",
        ("1001", "1003", "1018", "1022", "1007"),
    ),
    JMPlaylist(
        "702",
        "Jazz & Rain ☔",
        "2021-06-06",
        "901",
        "demo_listener",
        ("1013", "1014", "1015", "1016", "1029"),
    ),
    JMPlaylist(
        "703",
        "[b]Hostile[/b] Mix",
        "2022-12-12",
        "902",
        "ünïcode_fan",
        ("1027", "1028", "1024", "1025", "1009", "1012", "1030"),
    ),
)

JM_RADIOS = (
    JMRadio(
        "1",
        "electronic",
        "Electronic",
        "www",
        ("1001", "1002", "1003", "1004", "1006", "1008", "1022", "1023"),
    ),
    JMRadio("2", "jazz", "Jazz & Lounge", "www", ("1013", "1014", "1015", "1016", "1029")),
)

JM_FEEDS = (
    JMFeed(
        "801",
        "New album: Neon Night Circuits",
        "Pulse Garden are back with five tracks for the night bus.",
        "album",
        "601",
        "2024-03-01",
    ),
    JMFeed(
        "802",
        "Artist spotlight: Åsa Ljungström Trio",
        "Swedish jazz from the far north.",
        "artist",
        "503",
        "2024-02-15",
    ),
    JMFeed(
        "803",
        "Playlist of the week: Late Night Coding",
        "Five tracks to keep you company after midnight.",
        "playlist",
        "701",
        "2024-02-01",
    ),
    JMFeed(
        "804",
        "Jamendo [b]news[/b]: 🎉 demo mode",
        "Everything here is served from your own machine. <b>No</b> account needed & no "
        "network: [link=https://example.com]read more[/link]",
        "news",
        "",
        "2024-01-10",
    ),
)

# ------------------------------------------------------------------------------ Last.fm


def _ym_track_names(release_id: int) -> tuple[str, ...]:
    tracks = sorted((t for t in YM_TRACKS if t.release_id == release_id), key=lambda t: t.number)
    return tuple(t.title for t in tracks)


def _jm_track_names(album_id: str) -> tuple[str, ...]:
    tracks = sorted((t for t in JM_TRACKS if t.album_id == album_id), key=lambda t: t.position)
    return tuple(t.name for t in tracks)


_READ_MORE = ' <a href="https://www.last.fm/music/{}">Read more on Last.fm</a>.'

LASTFM_ALBUMS = (
    LastfmAlbum(
        "The Sine Waves",
        "Tone Studies",
        "aff8ba6b-9a1b-599e-a744-9e6cab194e2d",
        listeners=48213,
        playcount=391877,
        tags=("electronic", "minimal", "ambient"),
        summary="Tone Studies is the debut album of The Sine Waves, six pure tones from "
        "morning to midnight." + _READ_MORE.format("The+Sine+Waves/Tone+Studies"),
        track_names=_ym_track_names(2000),
    ),
    LastfmAlbum(
        "Édith Sørensen",
        "Chansons d'Été",
        "5b4664d8-4ad8-5705-9cdc-695d19a08c89",
        listeners=15022,
        playcount=120456,
        tags=("chanson", "french", "female vocalists"),
        summary="Chansons d'Été gathers five summer songs in three languages."
        + _READ_MORE.format("%C3%89dith+S%C3%B8rensen"),
        track_names=_ym_track_names(2002),
    ),
    LastfmAlbum(
        "坂本 美雨子",
        "夜明けのメロディ",
        "94937e75-e68d-59ad-9356-ffff84204289",
        listeners=8800,
        playcount=64321,
        tags=("j-pop", "japanese", "city pop"),
        summary="夜明けのメロディ (Melody of Dawn) is a quiet album about Tokyo mornings."
        + _READ_MORE.format("%E5%9D%82%E6%9C%AC+%E7%BE%8E%E9%9B%A8%E5%AD%90"),
        track_names=_ym_track_names(2004),
    ),
    LastfmAlbum(
        "فيروز الصغيرة",
        "ليالي بيروت",
        "30536560-ac2e-584c-aa9e-988fbd6e8bd8",
        listeners=5120,
        playcount=30077,
        tags=("arabic", "world"),
        summary="ليالي بيروت (Beirut Nights): four songs between Arabic and English.",
        track_names=_ym_track_names(2005),
    ),
    LastfmAlbum(
        "Pulse Garden",
        "Neon Night Circuits",
        "a776054e-445b-5d1e-ad5a-fbd27c3972c7",
        listeners=23456,
        playcount=210987,
        tags=("electronic", "synthwave", "night"),
        summary="Neon Night Circuits is the second album by Pulse Garden, released on "
        "Jamendo under a Creative Commons licence."
        + _READ_MORE.format("Pulse+Garden/Neon+Night+Circuits"),
        track_names=_jm_track_names("601"),
    ),
    LastfmAlbum(
        "Åsa Ljungström Trio",
        "Nordlys Jazz",
        "663b8694-7b59-599a-9a3b-aae80eeb1d15",
        listeners=3021,
        playcount=17450,
        tags=("jazz", "swedish", "piano trio"),
        summary="Nordlys Jazz: [i]northern lights[/i] & <em>cold</em> swing.",
        track_names=_jm_track_names("604"),
    ),
)

CATALOG = Catalog(
    ym_artists=YM_ARTISTS,
    ym_releases=YM_RELEASES,
    ym_tracks=YM_TRACKS,
    ym_playlists=YM_PLAYLISTS,
    jm_artists=JM_ARTISTS,
    jm_albums=JM_ALBUMS,
    jm_tracks=JM_TRACKS,
    jm_playlists=JM_PLAYLISTS,
    jm_radios=JM_RADIOS,
    jm_feeds=JM_FEEDS,
    lastfm_albums=LASTFM_ALBUMS,
)
