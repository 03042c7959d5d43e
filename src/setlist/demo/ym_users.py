"""Users: the tenant's machine-to-machine routes, UDTs, the signed-in user, checkout."""

from __future__ import annotations

import html
import re
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from setlist.demo.ym_common import endpoint, require_grant, require_user, ym
from setlist.demo.ym_http import (
    Validator,
    is_uuid,
    laravel_page,
    not_found,
    now_rfc3339,
    read_body,
    rfc3339,
)
from setlist.demo.ym_state import CheckoutSession, User

PRODUCTS = ("basic", "premium")
# Where checkout may send the user back: the app's loopback callback or the test domain.
ALLOWED_REDIRECT = re.compile(
    r"^(http://(127\.0\.0\.1|localhost)(:\d+)?(/|$)|https://setlist\.invalid/)"
)
USERS_PER_PAGE = 15


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_of_birth": user.date_of_birth,
        "status": user.status,
        "subscription_ends_at": user.subscription_ends_at,
        "pm_type": user.pm_type,
        "pm_last_four": user.pm_last_four,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def _tenant_user(request: Request) -> tuple[str, User]:
    """The client token's tenant and the path's user of that tenant (404 otherwise)."""
    tenant_id = require_grant(request, ("client",)).tenant_id
    user_id = request.path_params["user_id"]
    user = ym(request).state.users.get(user_id) if is_uuid(user_id) else None
    if user is None or user.tenant_id != tenant_id:
        raise not_found("User not found.")
    return tenant_id, user


def _profile_fields(v: Validator, *, required: bool) -> dict[str, str]:
    fields = {
        "first_name": v.string("first_name", required=required, max_length=255),
        "last_name": v.string("last_name", required=required, max_length=255),
        "date_of_birth": v.string("date_of_birth", required=required, fmt="date"),
    }
    return {k: value for k, value in fields.items() if value is not None}


def _email(request: Request, v: Validator, tenant_id: str, *, required: bool) -> str | None:
    email = v.string("email", required=required, max_length=255, fmt="email")
    if email is not None:
        taken = ym(request).state.find_user(tenant_id, email)
        if taken is not None and taken.id != request.path_params.get("user_id"):
            v.fail("email", "The email has already been taken.")
    return email


def _update(request: Request, user: User, changes: dict[str, str]) -> Response:
    if changes:
        with ym(request).state.lock:
            for name, value in changes.items():
                setattr(user, name, value)
            user.updated_at = now_rfc3339()
    return JSONResponse(user_json(user))


async def list_users(request: Request) -> Response:
    tenant_id = require_grant(request, ("client",)).tenant_id
    v = Validator(request.query_params)
    page = v.integer("page", minimum=1) or 1
    v.done()
    users = [user_json(u) for u in ym(request).state.tenant_users(tenant_id)]
    url = ym(request).api_url + "/users"
    return JSONResponse(laravel_page(users, page, USERS_PER_PAGE, url, {}))


async def create_user(request: Request) -> Response:
    tenant_id = require_grant(request, ("client",)).tenant_id
    v = Validator(await read_body(request))
    fields = _profile_fields(v, required=True)
    email = _email(request, v, tenant_id, required=True)
    v.done()
    assert email is not None
    user = User(str(uuid.uuid4()), tenant_id, email=email, **fields)
    return JSONResponse(user_json(ym(request).state.add_user(user)))


async def get_user(request: Request) -> Response:
    _, user = _tenant_user(request)
    return JSONResponse(user_json(user))


async def patch_user(request: Request) -> Response:
    tenant_id, user = _tenant_user(request)
    v = Validator(await read_body(request))
    changes = _profile_fields(v, required=False)
    email = _email(request, v, tenant_id, required=False)
    v.done()
    if email is not None:
        changes["email"] = email
    return _update(request, user, changes)


async def issue_udt(request: Request) -> Response:
    _, user = _tenant_user(request)
    v = Validator(await read_body(request))
    v.string("deviceId", required=True, fmt="uuid")
    v.done()
    state = ym(request).state
    token = state.issue_udt(user)
    return JSONResponse(
        {"token_type": "Bearer", "expires_in": int(state.settings.udt_ttl), "token": token}
    )


async def get_me(request: Request) -> Response:
    return JSONResponse(user_json(require_user(request)))


async def patch_me(request: Request) -> Response:
    user = require_user(request)
    v = Validator(await read_body(request))
    changes = _profile_fields(v, required=False)
    v.done()
    return _update(request, user, changes)


def _redirect_url(v: Validator, field: str) -> str | None:
    url = v.string(field, max_length=2048, fmt="uri")
    if url is not None and not ALLOWED_REDIRECT.match(url):
        v.fail(field, f"The {field.replace('_', ' ')} does not match an allowed redirect URL.")
    return url


async def create_checkout(request: Request) -> Response:
    user = require_user(request)
    v = Validator(await read_body(request))
    product = v.string("product_slug", required=True, choices=PRODUCTS)
    success_url = _redirect_url(v, "success_url")
    cancel_url = _redirect_url(v, "cancel_url")
    v.done()
    assert product is not None
    checkout = CheckoutSession(
        "cs_demo_" + secrets.token_hex(12), user.id, product, success_url, cancel_url
    )
    with ym(request).state.lock:
        ym(request).state.checkouts[checkout.id] = checkout
    url = f"{ym(request).api_url}/_checkout/{checkout.id}"
    return JSONResponse({"id": checkout.id, "url": url})


# -- the fake payment page (demo only, not part of the API)


def _checkout(request: Request) -> CheckoutSession:
    checkout = ym(request).state.checkouts.get(request.path_params["checkout_id"])
    if checkout is None:
        raise not_found("Checkout session not found.")
    return checkout


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


async def payment_page(request: Request) -> Response:
    checkout = _checkout(request)
    return _page(
        f"Demo checkout: {checkout.product_slug}",
        "<p>This is the setlist demo: nothing is charged.</p>"
        f"<form method='post' action='{checkout.id}/pay'><button>Pay</button></form>"
        f"<p><a href='{checkout.id}/cancel'>Cancel</a></p>",
    )


async def pay(request: Request) -> Response:
    checkout = _checkout(request)
    state = ym(request).state
    ends = datetime.now(UTC) + timedelta(days=30)
    with state.lock:
        user = state.users[checkout.user_id]
        user.status = "SUBSCRIBED"
        user.subscription_ends_at = rfc3339(ends)
        user.pm_type, user.pm_last_four = "visa", "4242"
    if checkout.success_url:
        return RedirectResponse(checkout.success_url, status_code=303)
    return _page("Payment complete", "<p>You can go back to setlist.</p>")


async def cancel(request: Request) -> Response:
    checkout = _checkout(request)
    if checkout.cancel_url:
        return RedirectResponse(checkout.cancel_url, status_code=303)
    return _page("Payment cancelled", "<p>You can go back to setlist.</p>")


def routes() -> list[Route]:
    return [
        endpoint("/users", GET=list_users, POST=create_user),
        endpoint("/users/{user_id}", GET=get_user, PATCH=patch_user),
        endpoint("/users/{user_id}/udt", POST=issue_udt),
        endpoint("/me", GET=get_me, PATCH=patch_me),
        endpoint("/checkout/sessions", POST=create_checkout),
        endpoint("/_checkout/{checkout_id}", GET=payment_page),
        endpoint("/_checkout/{checkout_id}/pay", POST=pay),
        endpoint("/_checkout/{checkout_id}/cancel", GET=cancel),
    ]
