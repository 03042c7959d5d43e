"""`setlist login`, `whoami` and `logout`, driven through stdin like a person at a terminal.

The keyring tests use a real Secret Service (gnome-keyring on a private D-Bus
bus): a session must end up there, and in no file under the XDG dirs.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable, Iterator

import httpx
import keyring
import pytest

from cli_support import CliHome, make_home, run_main, use_secret_service
from keyring_service import SecretService
from setlist.cli import prompts
from setlist.demo import yourmusic
from setlist.demo.catalog import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_EMAIL,
    DEMO_TENANT_ID,
    JAMENDO_DEMO_CLIENT_ID,
    LASTFM_DEMO_API_KEY,
)
from setlist.demo.server import DemoServer
from setlist.demo.ym_state import DEMO_USER_ID
from setlist.process.log_file import log_file
from yourmusic_support import NO_THROTTLE

MakeDemo = Callable[..., DemoServer]
SERVICE = "setlist"


@pytest.fixture
def home(tmp_path, monkeypatch) -> CliHome:
    return make_home(tmp_path, monkeypatch)


@pytest.fixture
def keyring_home(tmp_path, monkeypatch, secret_service: SecretService) -> Iterator[CliHome]:
    yield from use_secret_service(make_home(tmp_path, monkeypatch), secret_service, monkeypatch)


def stored(username: str) -> str | None:
    return keyring.get_password(SERVICE, username)


def text(result: subprocess.CompletedProcess[bytes]) -> tuple[str, str]:
    return result.stdout.decode(), result.stderr.decode()


def logged() -> str:
    """What setlist's log holds (the commands' notes, such as the demo's sign-in)."""
    return log_file().read_text(encoding="utf-8") if log_file().exists() else ""


# -- YourMusic by email code


def test_a_demo_login_lives_in_the_secret_service_and_nowhere_else(
    keyring_home: CliHome, fresh_server: DemoServer
) -> None:
    home = keyring_home
    home.attach(fresh_server)
    result = home.run("login", "--demo", input="\n123456\n")  # Enter takes the default address
    out, err = text(result)
    assert result.returncode == 0, err
    assert out == f"Signed in to the demo catalog as Demo Listener <{DEMO_EMAIL}>.\n"
    assert f"Email [{DEMO_EMAIL}]:" in err and "Code:" in err

    session = json.loads(stored(f"yourmusic-demo:{DEMO_EMAIL}") or "{}")
    assert stored("yourmusic-demo:current") == DEMO_EMAIL
    assert stored("yourmusic:current") is None  # real accounts are untouched
    tokens = (session["access_token"], session["refresh_token"])
    for token in tokens:
        assert home.files_containing(token) == []
    assert yourmusic.state_of(fresh_server.ctx).grant(session["access_token"]) is not None
    assert not home.config_file.exists()  # the demo does not remember its address

    who = home.run("whoami", "--demo", "--json")
    report = json.loads(who.stdout)
    assert report["demo"] is True
    assert report["yourmusic"] == {
        "status": "signed_in",
        "mode": "user",
        "account": DEMO_EMAIL,
        "name": "Demo Listener",
        "user_id": DEMO_USER_ID,
        "tenant": "demo",
    }
    assert not any(token.encode() in who.stdout + who.stderr for token in tokens)

    # Another process uses the stored session: no second sign-in.
    listed = home.run("playlists", "--demo")
    out, err = text(listed)
    assert listed.returncode == 0, err
    assert "Morning Commute" in out
    assert "Signed in to the demo catalog" not in err + logged()

    logout = home.run("logout", "--demo")
    assert text(logout)[0] == f"Signed out of YourMusic ({DEMO_EMAIL}).\n"
    assert stored(f"yourmusic-demo:{DEMO_EMAIL}") is None
    assert stored("yourmusic-demo:current") is None
    assert yourmusic.state_of(fresh_server.ctx).grant(session["access_token"]) is None
    whoami = home.run("whoami", "--demo")
    assert "YourMusic  not signed in (tenant demo)" in text(whoami)[0]


def test_sign_ins_from_an_earlier_demo_server_are_dropped(
    keyring_home: CliHome, make_demo: MakeDemo
) -> None:
    home = keyring_home
    home.attach(make_demo(**NO_THROTTLE))
    assert home.run("login", "--demo", input="\n123456\n").returncode == 0
    assert stored(f"yourmusic-demo:{DEMO_EMAIL}") is not None

    home.attach(make_demo(**NO_THROTTLE))  # a new demo run knows none of those tokens
    report = json.loads(home.run("whoami", "--demo", "--json").stdout)
    assert report["yourmusic"]["status"] == "signed_out"
    assert stored(f"yourmusic-demo:{DEMO_EMAIL}") is None


def test_a_real_login_remembers_the_address_in_the_config_and_the_session_in_the_keyring(
    keyring_home: CliHome, fresh_server: DemoServer
) -> None:
    home = keyring_home
    home.write_config(f'[yourmusic]\nbase_url = "{fresh_server.yourmusic_url}"\ntenant = "demo"\n')
    result = home.run("login", "--email", DEMO_EMAIL, input="123456\n")
    assert result.returncode == 0, result.stderr
    assert stored("yourmusic:current") == DEMO_EMAIL
    session = json.loads(stored(f"yourmusic:{DEMO_EMAIL}") or "{}")
    config = home.config_file.read_text()
    assert f'email = "{DEMO_EMAIL}"' in config
    assert home.files_containing(session["access_token"]) == []

    # The next login offers the remembered address.
    again = home.run("login", input="\n123456\n")
    assert f"Email [{DEMO_EMAIL}]:" in text(again)[1]


def test_onboarding_a_new_address_asks_for_a_profile(
    home: CliHome, fresh_server: DemoServer
) -> None:
    home.attach(fresh_server)
    answers = "new.person@example.com\n000000\n123456\nAda\nLovelace\n1990-13-01\n1990-12-10\n"
    result = home.run("login", "--demo", input=answers)
    out, err = text(result)
    assert result.returncode == 0, err
    assert out == "Signed in to the demo catalog as Ada Lovelace <new.person@example.com>.\n"
    assert "That code is not right" in err
    assert "no account for new.person@example.com yet" in err
    assert "1990-13-01 is not a date in the calendar." in err
    user = yourmusic.state_of(fresh_server.ctx).find_user(DEMO_TENANT_ID, "new.person@example.com")
    assert user is not None
    assert (user.first_name, user.last_name, user.date_of_birth) == (
        "Ada",
        "Lovelace",
        "1990-12-10",
    )


def test_input_that_ends_early_is_one_line_and_exit_1(
    home: CliHome, fresh_server: DemoServer
) -> None:
    home.attach(fresh_server)
    result = home.run("login", "--demo", input="new.person@example.com\n")
    err = text(result)[1]
    assert result.returncode == 1
    assert err.splitlines()[-1] == "setlist: no answer to “Code”: the input ended"
    assert "Traceback" not in err


def test_a_real_login_without_a_keyring_says_how_to_keep_tokens(
    home: CliHome, fresh_server: DemoServer, capsys
) -> None:
    home.write_config(f'[yourmusic]\nbase_url = "{fresh_server.yourmusic_url}"\ntenant = "demo"\n')
    result = run_main(capsys, "login")
    assert result.code == 1
    assert "plaintext_tokens = true" in result.err and "SETLIST_PLAINTEXT_TOKENS=1" in result.err


def test_a_token_in_the_environment_blocks_a_login_that_could_not_be_kept(
    home: CliHome, fresh_server: DemoServer, capsys, monkeypatch
) -> None:
    home.write_config(
        f'[yourmusic]\nbase_url = "{fresh_server.yourmusic_url}"\ntenant = "demo"\n'
        "[store]\nplaintext_tokens = true\n"
    )
    monkeypatch.setenv("SETLIST_YOURMUSIC_TOKEN", "from-the-environment")
    result = run_main(capsys, "login")
    assert result.code == 1
    assert "SETLIST_YOURMUSIC_TOKEN is set" in result.err
    assert "from-the-environment" not in result.err


def test_the_demo_without_a_keyring_keeps_sign_ins_in_memory_and_says_so_once(
    home: CliHome, fresh_server: DemoServer
) -> None:
    home.attach(fresh_server)
    result = home.run("search", "tone", "--demo")
    assert result.returncode == 0
    assert text(result)[1] == ""  # demo sign-ins are worth nothing elsewhere: the log says it
    assert logged().count("demo sign-ins are kept in memory") == 1


# -- device mode


def test_device_mode_login_whoami_and_logout(
    keyring_home: CliHome, fresh_server: DemoServer
) -> None:
    home = keyring_home
    home.write_config(f'[yourmusic]\nbase_url = "{fresh_server.yourmusic_url}"\ntenant = "demo"\n')
    answers = f"{DEMO_CLIENT_ID}\n{DEMO_CLIENT_SECRET}\n{DEMO_USER_ID}\n"
    result = home.run("login", "--device", input=answers)
    assert result.returncode == 0, result.stderr
    assert stored(f"yourmusic:client:{DEMO_CLIENT_ID}") == DEMO_CLIENT_SECRET
    config = home.config_file.read_text()
    assert f'client_id = "{DEMO_CLIENT_ID}"' in config and DEMO_CLIENT_SECRET not in config

    report = json.loads(home.run("whoami", "--json").stdout)
    assert report["yourmusic"]["mode"] == "device"
    assert report["yourmusic"]["user_id"] == DEMO_USER_ID
    listed = home.run("playlists")
    assert "Morning Commute" in text(listed)[0]

    assert home.run("logout").returncode == 0
    assert stored(f"yourmusic:client:{DEMO_CLIENT_ID}") is None
    report = json.loads(home.run("whoami", "--json").stdout)
    assert report["yourmusic"]["status"] == "signed_out"


def test_wrong_device_credentials_fail_in_one_line(
    home: CliHome, fresh_server: DemoServer, capsys, monkeypatch
) -> None:
    home.write_config(
        f'[yourmusic]\nbase_url = "{fresh_server.yourmusic_url}"\ntenant = "demo"\n'
        "[store]\nplaintext_tokens = true\n"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{DEMO_CLIENT_ID}\nwrong\n{DEMO_USER_ID}\n"))
    result = run_main(capsys, "login", "--device")
    assert result.code == 1
    assert result.err.splitlines()[-1].startswith("setlist: YourMusic refused this device's")


# -- Jamendo and Last.fm


def test_jamendo_login_with_the_pasted_redirect(
    keyring_home: CliHome, fresh_server: DemoServer
) -> None:
    home = keyring_home
    home.attach(fresh_server)
    process = subprocess.Popen(
        [sys.executable, "-m", "setlist", "login", "jamendo", "--demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdin is not None
    url = ""
    while not url.startswith("http"):
        line = process.stdout.readline().decode()
        assert line, "no sign-in address was printed"
        url = line.strip()
    # What a browser does: the demo approves at once and redirects to our loopback address.
    approved = httpx.get(url, follow_redirects=False)
    assert approved.is_redirect
    process.stdin.write(approved.headers["location"].encode() + b"\n")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.decode().strip() == "Signed in to the demo's Jamendo."

    tokens = json.loads(stored("jamendo-demo:default") or "{}")
    assert tokens["access_token"] in fresh_server.ctx.services["jamendo"].tokens
    assert home.files_containing(tokens["access_token"]) == []
    report = json.loads(home.run("whoami", "--demo", "--json").stdout)
    assert report["jamendo"] == {"status": "signed_in"}

    assert text(home.run("logout", "jamendo", "--demo"))[0] == "Signed out of Jamendo.\n"
    assert stored("jamendo-demo:default") is None


def test_jamendo_login_prints_the_address_on_one_line_however_narrow_the_terminal(
    home: CliHome, fresh_server: DemoServer
) -> None:
    """The terminal wraps it, so a mouse copy of the printed address gets all of it."""
    home.attach(fresh_server)
    result = home.run("login", "jamendo", "--demo", input="", env={"COLUMNS": "40"})
    lines = result.stdout.decode().splitlines()
    [url] = [line for line in lines if "://" in line]
    assert url.startswith(fresh_server.jamendo_url + "/oauth/authorize?client_id=")
    assert "&state=" in url and len(url) > 40
    assert httpx.get(url, follow_redirects=False).is_redirect  # the whole address, approved


def test_on_a_terminal_the_demo_jamendo_login_finishes_by_itself(
    home: CliHome, fresh_server: DemoServer, capsys, monkeypatch
) -> None:
    home.attach(fresh_server)
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    result = run_main(capsys, "login", "jamendo", "--demo")
    assert result.code == 0, result.err
    assert "The demo approves at once" in result.err
    assert result.out.splitlines()[-1] == "Signed in to the demo's Jamendo."


def test_a_real_jamendo_login_asks_for_the_client_secret_and_keeps_it(
    home: CliHome, fresh_server: DemoServer, capsys, monkeypatch
) -> None:
    home.write_config(
        f'[jamendo]\nbase_url = "{fresh_server.jamendo_url}"\n'
        f'client_id = "{JAMENDO_DEMO_CLIENT_ID}"\n'
        "[store]\nplaintext_tokens = true\n"
    )
    # A bare code (what a user copies from the address bar) for the default redirect URI.
    approved = httpx.get(
        f"{fresh_server.jamendo_url}/oauth/authorize",
        params={
            "client_id": JAMENDO_DEMO_CLIENT_ID,
            "redirect_uri": "http://127.0.0.1/setlist-callback",
            "response_type": "code",
        },
    )
    code = httpx.URL(approved.headers["location"]).params["code"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{DEMO_CLIENT_SECRET}\n{code}\n"))
    result = run_main(capsys, "login", "jamendo")
    assert result.code == 0, result.err
    assert "Jamendo client secret:" in result.err
    kept = json.loads((home.dirs["XDG_STATE_HOME"] / "setlist" / "tokens.json").read_text())
    assert kept["secrets"]["jamendo"][f"client:{JAMENDO_DEMO_CLIENT_ID}"] == DEMO_CLIENT_SECRET
    assert "access_token" in json.loads(kept["secrets"]["jamendo"]["default"])
    assert run_main(capsys, "whoami").out.splitlines()[2] == "Jamendo    signed in"


def test_jamendo_login_refuses_an_address_of_another_attempt(
    home: CliHome, fresh_server: DemoServer, capsys, monkeypatch
) -> None:
    home.attach(fresh_server)
    pasted = "http://127.0.0.1/setlist-callback?code=abc&state=not-ours\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(pasted))
    result = run_main(capsys, "login", "jamendo", "--demo")
    assert result.code == 1
    assert "another sign-in attempt" in result.err.splitlines()[-1]


def test_lastfm_login_checks_the_key_before_keeping_it(
    home: CliHome, fresh_server: DemoServer, capsys, monkeypatch
) -> None:
    home.attach(fresh_server)
    monkeypatch.setattr(sys, "stdin", io.StringIO("not-a-key\n"))
    refused = run_main(capsys, "login", "lastfm", "--demo")
    assert refused.code == 1
    assert "API key is not valid" in refused.err
    assert "not-a-key" not in refused.err

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{LASTFM_DEMO_API_KEY}\n"))
    accepted = run_main(capsys, "login", "lastfm", "--demo")
    assert accepted.code == 0, accepted.err
    assert accepted.out == "Last.fm API key checked and kept in memory.\n"


# -- whoami and logout on their own


def test_whoami_with_nobody_signed_in(home: CliHome, capsys) -> None:
    result = run_main(capsys, "whoami")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[1].startswith("YourMusic  not set up")
    assert lines[2].startswith("Jamendo    not set up")
    assert lines[3] == "Last.fm    no API key"


def test_logout_when_signed_out_is_fine(home: CliHome, fresh_server: DemoServer, capsys) -> None:
    home.attach(fresh_server)
    result = run_main(capsys, "logout", "--all", "--demo")
    assert result.code == 0
    assert result.out.splitlines() == [
        "Not signed in to YourMusic.",
        "Not signed in to Jamendo.",
        "No Last.fm API key stored.",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("logout", "yourmusic", "--all"),
        ("login", "spotify"),
        ("login", "jamendo", "--email", "a@b.c"),
        ("login", "--device", "--demo"),
        ("login", "--email", "not-an-address"),
    ],
)
def test_usage_errors_exit_2(home: CliHome, capsys, args: tuple[str, ...]) -> None:
    assert run_main(capsys, *args).code == 2
