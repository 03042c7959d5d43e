"""Settings of the demo catalog server: lifetimes and throttles tests can shrink."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from setlist.demo.catalog import DEMO_OTP_CODE


@dataclass
class DemoSettings:
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port
    # YourMusic token lifetimes, in seconds.
    access_token_ttl: float = 3600.0
    refresh_token_ttl: float = 30 * 24 * 3600.0
    client_token_ttl: float = 3600.0
    udt_ttl: float = 600.0
    onboarding_token_ttl: float = 900.0
    otp_ttl: float = 600.0
    # The one-time code: always this code in the demo, since no mail is sent.
    otp_code: str = DEMO_OTP_CODE
    # One-time code throttles, as the reference describes.
    otp_min_interval: float = 30.0  # per address, between two sends
    otp_max_per_hour: int = 5  # per address
    otp_ip_per_minute: int = 10  # per client IP
    # Jamendo OAuth2 token lifetime.
    jamendo_token_ttl: float = 3600.0
    # Print one-time codes on stdout (`setlist demo --serve`).
    print_codes: bool = False

    @classmethod
    def interactive(cls, **overrides: Any) -> Self:
        """The demo a person uses (`setlist --demo`, `setlist demo --serve`).

        One-time codes are not throttled: with no keyring every command signs in
        to the demo afresh, and the throttles are there for tests of clients.
        """
        relaxed: dict[str, Any] = {
            "otp_min_interval": 0.0,
            "otp_max_per_hour": 1_000_000,
            "otp_ip_per_minute": 1_000_000,
        }
        return cls(**{**relaxed, **overrides})
