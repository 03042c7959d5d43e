"""Two fixes to the shared HTTP layer: masked secrets in httpx's request log, and
Retry-After dates without a time zone."""

from __future__ import annotations

import logging

import httpx
import pytest

from setlist.providers.http import redact_url, retry_after_seconds


def test_secret_query_values_are_masked() -> None:
    url = "https://api.jamendo.com/v3.0/users/tracks/?client_id=c1&access_token=t0k3n&id=5"
    masked = redact_url(httpx.URL(url))
    assert "t0k3n" not in masked
    assert "access_token=***" in masked and "client_id=c1" in masked and "id=5" in masked


def test_httpx_request_log_lines_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    url = httpx.URL("https://ws.audioscrobbler.com/2.0/?method=album.getinfo&api_key=k3y")
    logging.getLogger("httpx").info('HTTP Request: %s %s "%s"', "GET", url, "HTTP/1.1 200 OK")
    assert "api_key=***" in caplog.text
    assert "k3y" not in caplog.text


def test_retry_after_date_without_zone_is_read_as_utc() -> None:
    # parsedate_to_datetime gives a naive datetime for "-0000"; it used to raise TypeError.
    response = httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 -0000"})
    assert retry_after_seconds(response) == 0.0
