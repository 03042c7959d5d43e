"""Sign-in routes: client credentials, email one-time code, onboarding, refresh, logout."""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from setlist.demo.ym_common import endpoint, ym
from setlist.demo.ym_http import (
    Validator,
    invalid_field,
    read_body,
    too_many,
    unauthorized,
)
from setlist.demo.ym_state import Issued, User

OTP_SENT_MESSAGE = "If that email address is valid, a verification code has been sent."
LOCALES = ("en", "nl", "fr")


def session_user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "tenant_id": user.tenant_id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "status": user.status,
        "date_of_birth": user.date_of_birth,
    }


def session_response(request: Request, issued: Issued) -> Response:
    settings = ym(request).state.settings
    return JSONResponse(
        {
            "token_type": "Bearer",
            "access_token": issued.access_token,
            "expires_in": int(settings.access_token_ttl),
            "refresh_token": issued.refresh_token,
            "refresh_expires_in": int(settings.refresh_token_ttl),
            "user": session_user_json(issued.user),
        }
    )


def _tenant_id(request: Request, v: Validator) -> str | None:
    slug = v.string("tenant", required=True, max_length=255)
    if slug is None:
        return None
    tenant_id = ym(request).state.tenants.get(slug)
    if tenant_id is None:
        v.fail("tenant", "The selected tenant is invalid.")
    return tenant_id


async def client_token(request: Request) -> Response:
    v = Validator(await read_body(request))
    v.string("grant_type", required=True, choices=("client_credentials",))
    client_id = v.string("client_id", required=True)
    secret = v.string("client_secret", required=True)
    v.done()
    assert client_id is not None and secret is not None
    state = ym(request).state
    known = state.clients.get(client_id)
    if known is None or not secrets.compare_digest(known[0], secret):
        raise unauthorized("Invalid client credentials.")
    token = state.issue_client_token(known[1])
    return JSONResponse(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": int(state.settings.client_token_ttl),
        }
    )


async def send_code(request: Request) -> Response:
    state = ym(request).state
    now = time.monotonic()
    ip = request.client.host if request.client else "unknown"
    # Like Laravel's throttle middleware, the per-IP limit counts every request.
    with state.lock:
        wait = state.throttle.ip_wait(ip, now)
    if wait > 0:
        raise too_many(wait)
    v = Validator(await read_body(request))
    tenant_id = _tenant_id(request, v)
    email = v.string("email", required=True, max_length=255, fmt="email")
    v.string("locale", choices=LOCALES)
    v.done()
    assert tenant_id is not None and email is not None
    key = (tenant_id, email.casefold())
    with state.lock:
        wait = state.throttle.address_wait(key, now)
        if wait > 0:
            raise too_many(wait)
        state.throttle.record_send(key, now)
    state.record_code(tenant_id, email)
    if state.settings.print_codes:
        print(f"one-time code for {email}: {state.settings.otp_code}", flush=True)
    return JSONResponse({"message": OTP_SENT_MESSAGE}, status_code=202)


async def verify_code(request: Request) -> Response:
    v = Validator(await read_body(request))
    tenant_id = _tenant_id(request, v)
    email = v.string("email", required=True, max_length=255, fmt="email")
    code = v.string("code", required=True, max_length=32)
    device_id = v.string("device_id", required=True, fmt="uuid")
    v.done()
    assert tenant_id is not None and email is not None and code is not None
    assert device_id is not None
    state = ym(request).state
    if not state.take_code(tenant_id, email, code):
        raise invalid_field("code", "The code is invalid or has expired.")
    user = state.find_user(tenant_id, email)
    if user is not None:
        return session_response(request, state.start_session(user, device_id))
    token = state.start_onboarding(tenant_id, email, device_id)
    return JSONResponse(
        {"onboarding_token": token, "expires_in": int(state.settings.onboarding_token_ttl)}
    )


async def onboard(request: Request) -> Response:
    v = Validator(await read_body(request))
    token = v.string("onboarding_token", required=True)
    first = v.string("first_name", required=True, max_length=255)
    last = v.string("last_name", required=True, max_length=255)
    born = v.string("date_of_birth", required=True, fmt="date")
    v.done()
    assert token is not None and first is not None and last is not None and born is not None
    state = ym(request).state
    pending = state.take_onboarding(token)
    if pending is None:
        raise invalid_field("onboarding_token", "The onboarding token is invalid or has expired.")
    # The reference: "creates the user (or reuses existing)".
    user = state.find_user(pending.tenant_id, pending.email) or state.add_user(
        User(str(uuid.uuid4()), pending.tenant_id, pending.email, first, last, born)
    )
    return session_response(request, state.start_session(user, pending.device_id))


async def refresh(request: Request) -> Response:
    v = Validator(await read_body(request))
    token = v.string("refresh_token", required=True, max_length=512)
    v.done()
    assert token is not None
    issued = ym(request).state.rotate(token)
    if issued == "expired":
        raise unauthorized("The refresh token has expired.", code="TOKEN_EXPIRED")
    if issued == "invalid":
        raise unauthorized("The refresh token is invalid.")
    return session_response(request, issued)


async def logout(request: Request) -> Response:
    v = Validator(await read_body(request))
    token = v.string("refresh_token", required=True, max_length=512)
    v.done()
    assert token is not None
    ym(request).state.end_session(token)
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        endpoint("/oauth/token", POST=client_token),
        endpoint("/auth/email/otp", POST=send_code),
        endpoint("/auth/email/verify", POST=verify_code),
        endpoint("/auth/onboarding", POST=onboard),
        endpoint("/auth/refresh", POST=refresh),
        endpoint("/auth/logout", POST=logout),
    ]
