"""The demo's Jamendo OAuth2 (authorization code flow).

- `GET /oauth/authorize` approves at once, as the demo listener (there is no
  login form): a 302 to `redirect_uri?code=...&state=...`, or a page showing
  the code when no `redirect_uri` is given.
- `POST /oauth/grant` trades a code (`grant_type=authorization_code`, single
  use) or a refresh token (`grant_type=refresh_token`; the old refresh token
  stops working) for `{access_token, expires_in, refresh_token, scope,
  token_type}`. It needs the demo's `client_id` and its secret, which is
  `catalog.DEMO_CLIENT_SECRET`. Failures come in Jamendo's failed envelope:
  code 5 (client), 4 (missing parameter), 3 (bad grant_type), 101 (bad code),
  12 (bad refresh token).
"""

from __future__ import annotations

import html
import math
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from setlist.demo.catalog import DEMO_CLIENT_SECRET, JAMENDO_DEMO_CLIENT_ID
from setlist.demo.jm_api import failed, json_response, request_params
from setlist.demo.jm_params import JamendoError
from setlist.demo.jm_state import DEMO_USER, JamendoState, Token

GRANT_TYPES = ("authorization_code", "refresh_token")


def _page(title: str, text: str, status: int = 200) -> HTMLResponse:
    body = (
        f"<!doctype html><html><head><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{text}</p></body></html>"
    )
    return HTMLResponse(body, status_code=status)


def _redirect(uri: str, params: dict[str, str]) -> RedirectResponse:
    glue = "&" if "?" in uri else "?"
    return RedirectResponse(uri + glue + urlencode(params), status_code=302)


def authorize(state: JamendoState, request: Request) -> Response:
    q = request.query_params
    if q.get("client_id") != JAMENDO_DEMO_CLIENT_ID:
        return _page("Invalid client id", "This application is not known.", status=400)
    redirect_uri = q.get("redirect_uri", "")
    echo = {"state": q["state"]} if "state" in q else {}  # the client's state comes back
    if q.get("response_type", "code") != "code":
        if redirect_uri:
            return _redirect(redirect_uri, {"error": "unsupported_response_type", **echo})
        return _page("Unsupported response type", "Use response_type=code.", status=400)
    code = state.issue_code(JAMENDO_DEMO_CLIENT_ID, redirect_uri, q.get("scope") or "music")
    if redirect_uri:
        return _redirect(redirect_uri, {"code": code, **echo})
    return _page(
        "Access granted",
        f"{html.escape(DEMO_USER.dispname)} authorized the application. "
        f"Your code: <code>{code}</code>",
    )


def _required(params: dict[str, str], name: str) -> str:
    if not params.get(name):
        raise JamendoError(4, f"parameter '{name}' is required")
    return params[name]


def _grant(state: JamendoState, params: dict[str, str]) -> Token:
    if params.get("client_id") != JAMENDO_DEMO_CLIENT_ID:
        raise JamendoError(5, "unknown client_id")
    if _required(params, "client_secret") != DEMO_CLIENT_SECRET:
        raise JamendoError(5, "client_secret does not match the client_id")
    grant_type = _required(params, "grant_type")
    if grant_type == "authorization_code":
        code = _required(params, "code")
        return state.redeem_code(code, params["client_id"], params.get("redirect_uri", ""))
    if grant_type == "refresh_token":
        return state.refresh(_required(params, "refresh_token"), params["client_id"])
    raise JamendoError(3, f"grant_type must be one of {', '.join(GRANT_TYPES)}")


async def grant(state: JamendoState, request: Request) -> Response:
    if request.method != "POST":
        return failed(JamendoError(2, "oauth/grant takes POST"))
    try:
        token = _grant(state, await request_params(request))
    except JamendoError as error:
        return failed(error)
    return json_response(
        {
            "access_token": token.access_token,
            "expires_in": math.ceil(state.token_ttl),
            "refresh_token": token.refresh_token,
            "scope": token.scope,
            "token_type": "bearer",
        }
    )
