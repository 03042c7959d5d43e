"""The rules of accounts, the same for the command line and the app: what an email,
a one-time code, a name, a date of birth and a playlist name must look like, and
the fixed addresses sign-in uses. Each check gives the problem to show, or None.
"""

from __future__ import annotations

import re
from datetime import date

# Nothing listens for Jamendo's redirect: a loopback address nothing listens on, so
# the browser stops there and its address bar holds the code.
JAMENDO_REDIRECT_URI = "http://127.0.0.1/setlist-callback"
LASTFM_KEY_URL = "https://www.last.fm/api/account/create"
MAX_NAME = 255  # what the YourMusic API accepts, for people and playlists alike
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_problem(value: str) -> str | None:
    if not _EMAIL.match(value.strip()):
        return "Enter an email address, like name@example.com."
    return None


def code_problem(value: str) -> str | None:
    if not value.strip():
        return "Enter the code from the email."
    if not value.strip().isdigit():
        return "The code is made of digits only."
    return None


def name_problem(value: str, what: str) -> str | None:
    """A person's first or last name (`what` says which)."""
    if not value.strip():
        return f"Enter your {what}."
    if len(value.strip()) > MAX_NAME:
        return f"Your {what} can have at most {MAX_NAME} characters."
    return None


def birth_date_problem(value: str, today: date | None = None) -> str | None:
    try:
        born = date.fromisoformat(value.strip())
    except ValueError:
        return "Write the date of birth as YYYY-MM-DD, for example 1990-04-12."
    if born > (today or date.today()):
        return "The date of birth cannot be in the future."
    if born.year < 1900:
        return "Check the year of the date of birth."
    return None


def playlist_name_problem(name: str) -> str | None:
    if not name.strip():
        return "Give the playlist a name."
    if len(name.strip()) > MAX_NAME:
        return f"A name has at most {MAX_NAME} characters."
    return None
