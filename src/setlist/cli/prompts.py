"""Questions asked on the terminal, or answered from stdin by a script or a test.

On a terminal: input() (with line editing) and getpass for secrets. When stdin
is not a terminal, each answer is one line read from stdin, and the question is
written to stderr: getpass would otherwise go looking for /dev/tty.
"""

from __future__ import annotations

import getpass
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from setlist.core.accounts import email_problem
from setlist.core.errors import SetlistError

T = TypeVar("T")
ATTEMPTS = 3


def interactive() -> bool:
    return sys.stdin.isatty()


def ask(question: str, *, default: str | None = None, secret: bool = False) -> str:
    """One answer; the default when the answer is empty; an error when stdin has ended."""
    label = f"{question} [{default}]: " if default else f"{question}: "
    if interactive():
        try:
            answer = getpass.getpass(label) if secret else input(label)
        except EOFError:
            raise _no_answer(question) from None
    else:
        sys.stderr.write(label)
        sys.stderr.flush()
        line = sys.stdin.readline()
        sys.stderr.write("\n")  # the answer is not echoed: end the question's line
        if not line:
            raise _no_answer(question)
        answer = line.rstrip("\r\n")
    answer = answer.strip()
    return answer or (default or "")


def ask_valid(
    question: str,
    parse: Callable[[str], T],
    *,
    default: str | None = None,
    secret: bool = False,
) -> T:
    """Ask until `parse` accepts the answer (it raises ValueError with the reason)."""
    for attempt in range(ATTEMPTS):
        answer = ask(question, default=default, secret=secret)
        try:
            return parse(answer)
        except ValueError as exc:
            if attempt == ATTEMPTS - 1:
                raise SetlistError(f"{question}: {exc}") from None
            sys.stderr.write(f"{exc}\n")
    raise AssertionError("unreachable")  # pragma: no cover


def email(text: str) -> str:
    if problem := email_problem(text):
        raise ValueError(problem)
    return text


def not_empty(text: str) -> str:
    if not text:
        raise ValueError("This cannot be empty.")
    return text


def birth_date(text: str) -> date:
    """A date of birth as YYYY-MM-DD, in the past."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError("Write the date as YYYY-MM-DD, for example 1990-04-12.")
    try:
        born = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a date in the calendar.") from None
    if born >= date.today():
        raise ValueError("A date of birth is in the past.")
    if born.year < 1900:
        raise ValueError(f"{born.year} is more than a century ago: check the year.")
    return born


def _no_answer(question: str) -> SetlistError:
    return SetlistError(f"no answer to “{question}”: the input ended")
