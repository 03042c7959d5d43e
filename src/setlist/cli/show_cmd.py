"""`setlist show ITEM`: a track's details (licence, music info, explicit flag...)."""

from __future__ import annotations

import argparse

import msgspec

from setlist.cli.output import duration, print_json, say, wants_json
from setlist.cli.runner import add_demo_flag, add_json_flag, run_with_services
from setlist.core.errors import ConfigError, NotFound
from setlist.core.items import Item, ItemError, NoMatch, parse_item
from setlist.core.models import ProviderName, Track, TrackDetails, provider_label, track_source
from setlist.core.text import plain
from setlist.services import Services
from setlist.services.library import catalog_missing
from setlist.services.track_facts import track_facts_of
from setlist.store import paths

TRACK_FORMS = "track:ID, or PROVIDER:track:ID to pick a catalog (jamendo:track:ID)"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "show",
        help="a track's details: artists, album, licence, music info, explicit flag",
        description=f"A track's details. ITEM is {TRACK_FORMS}.",
    )
    add_track_arguments(parser)
    parser.set_defaults(handler=_run)


def add_track_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("item", metavar="ITEM")
    add_demo_flag(parser)
    add_json_flag(parser)


def parse_track(text: str) -> Item:
    """The track ITEM names by id; anything else is refused before a service opens."""
    try:
        item = parse_item(text)
    except ItemError:
        item = None
    if item is None or item.kind != "track":
        raise ItemError(
            f"“{plain(text)}” does not name a track by id; give {TRACK_FORMS} "
            "(`setlist search --json` prints ids)."
        )
    return item


async def find_track(services: Services, item: Item) -> Track:
    providers = services.providers
    if item.provider is not None:
        provider = providers.get(item.provider)
        if provider is None:
            needs = "a tenant" if item.provider == ProviderName.YOURMUSIC else "a client id"
            known = item.provider in (ProviderName.YOURMUSIC, ProviderName.JAMENDO)
            if not known:
                raise ConfigError(f"{plain(item.provider)} is not a catalog; give {TRACK_FORMS}.")
            raise ConfigError(catalog_missing(services, ProviderName(item.provider), needs))
        return await provider.track(item.value)
    if not providers:
        raise ConfigError(
            f"No catalog is set up: set up YourMusic or Jamendo in {paths.config_file()}, "
            "or try the demo with --demo."
        )
    for provider in providers.values():
        try:
            return await provider.track(item.value)
        except NotFound:
            continue
    raise NoMatch(f"No catalog has a track with the id {plain(item.value)}.")


def detail_lines(details: TrackDetails) -> list[str]:
    track = details.track
    artists = ", ".join(plain(name) for _, name in track.artists) or "—"
    explicit = {True: "yes", False: "no", None: f"not said by {provider_label(track.provider)}"}
    lines = [
        f"Title: {plain(track.title)}",
        f"Artists: {artists}",
        f"Album: {plain(track.album_title) if track.album_id else '— (a single)'}",
        f"Length: {duration(track.duration) or '—'}",
        f"Released: {plain(details.release_date or '—')}",
        f"Licence: {plain(details.licence_url or '—')}",
        f"Explicit: {explicit[details.explicit]}",
    ]
    info = details.music_info
    if info is not None:
        voice = " · ".join(
            plain(p) for p in (info.vocal_instrumental, info.gender, info.language) if p
        )
        lines += [
            f"Voice: {voice or '—'}",
            f"Speed: {plain(info.speed) or '—'}",
            f"Sound: {plain(info.acoustic_electric) or '—'}",
            f"Genres: {', '.join(plain(g) for g in info.genres) or '—'}",
            f"Instruments: {', '.join(plain(i) for i in info.instruments) or '—'}",
            f"Tags: {', '.join(plain(t) for t in info.tags) or '—'}",
        ]
    lines += [f"Catalog: {provider_label(track_source(track))}", f"Id: {plain(track.id)}"]
    return lines


def _run(args: argparse.Namespace) -> int:
    item = parse_track(args.item)

    async def body(services: Services) -> int:
        track = await find_track(services, item)
        details = await track_facts_of(services).details(track)
        if wants_json(args):
            print_json(details)
        else:
            for line in detail_lines(details):
                say(line)
        return 0

    return run_with_services(args, body)


class Lyrics(msgspec.Struct, kw_only=True):
    """What `setlist lyrics --json` prints: the track, and its words or null."""

    track: Track
    lyrics: str | None
