"""YourMusic: email, one-time code, and (for a new address) the profile steps."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ContentSwitcher, Input, Label, Static

from setlist.core.accounts import (
    birth_date_problem,
    code_problem,
    email_problem,
    name_problem,
)
from setlist.core.errors import InvalidRequest, SetlistError
from setlist.providers.yourmusic import OnboardingRequired
from setlist.services import Services
from setlist.services.demo_identity import DEMO_OTP_CODE
from setlist.ui.screens.playlist_picker import app_sessions
from setlist.ui.screens.sign_in.panel import Panel, Problem, Status, _error, _input


class YourMusicPanel(Panel):
    def __init__(self, services: Services, *, id: str | None = None) -> None:
        super().__init__(services, id=id)
        self.email = ""
        self.pending: OnboardingRequired | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="status")
        if self.services.yourmusic is None:
            yield Static(
                "YourMusic is not set up: set tenant under [yourmusic] in the config "
                "(setlist login --tenant NAME), or try the demo with setlist --demo.",
                classes="help",
                markup=False,
            )
            return
        with ContentSwitcher(initial="ym-email"):
            with Vertical(id="ym-email"):
                yield Label("Email address")
                yield _input("name@example.com", "ym-email-input")
                yield _error("ym-email-error")
                with Horizontal():
                    yield Button("Send code", variant="primary", id="ym-send")
            with Vertical(id="ym-code"):
                yield Static("", id="ym-code-help", classes="help")
                yield Label("Code")
                yield _input("123456", "ym-code-input")
                yield _error("ym-code-error")
                with Horizontal():
                    yield Button("Sign in", variant="primary", id="ym-verify")
                    yield Button("Use another address", id="ym-restart")
            with Vertical(id="ym-onboard"):
                yield Static("", id="ym-onboard-help", classes="help")
                yield Label("First name")
                yield _input("", "ym-first")
                yield _error("ym-first-error")
                yield Label("Last name")
                yield _input("", "ym-last")
                yield _error("ym-last-error")
                yield Label("Date of birth (YYYY-MM-DD)")
                yield _input("1990-04-12", "ym-born")
                yield _error("ym-born-error")
                yield _error("ym-onboard-error")
                with Horizontal():
                    yield Button("Create account", variant="primary", id="ym-create")
                    yield Button("Cancel", id="ym-cancel")
            with Vertical(id="ym-signed-in"), Horizontal():
                yield Button("Sign out", variant="error", id="ym-sign-out")

    def on_mount(self) -> None:
        self.refresh_status()

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def refresh_status(self) -> None:
        client = self.services.yourmusic
        if client is None:
            self.post_message(Status("Not set up."))
            return
        auth = client.auth
        await auth.load()
        session = auth.session
        if auth.uses_env_token:
            self.post_message(
                Status("Signed in with SETLIST_YOURMUSIC_TOKEN.", "ym-signed-in", focus=True)
            )
        elif session is not None and session.kind == "device":
            text = f"Device mode, for user {session.user_id}."
            self.post_message(Status(text, "ym-signed-in", focus=True))
        elif session is not None:
            name = session.user.display_name if session.user else ""
            who = (
                f"{name} <{session.account}>"
                if name and name != session.account
                else session.account
            )
            self.post_message(Status(f"Signed in as {who}.", "ym-signed-in", focus=True))
        else:
            self.post_message(Status("Not signed in.", "ym-email", focus=True))

    # -- email

    @on(Input.Submitted, "#ym-email-input")
    @on(Button.Pressed, "#ym-send")
    def send_code(self) -> None:
        email = self.query_one("#ym-email-input", Input).value.strip()
        if problem := email_problem(email):
            self.problem("ym-email-error", problem)
            return
        self._send_code(email)

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def _send_code(self, email: str) -> None:
        assert self.services.yourmusic is not None
        try:
            await self.services.yourmusic.auth.request_code(email)
        except SetlistError as exc:
            self.problem("ym-email-error", exc.message)
            return
        self.email = email
        hint = f" The demo's code is always {DEMO_OTP_CODE}." if self.services.demo else ""
        self.post_message(Problem("ym-code-help", f"A code was sent to {email}.{hint}"))
        self.post_message(Status("Not signed in.", "ym-code", focus=True))

    # -- code

    @on(Input.Submitted, "#ym-code-input")
    @on(Button.Pressed, "#ym-verify")
    def verify(self) -> None:
        code = self.query_one("#ym-code-input", Input).value.strip()
        if problem := code_problem(code):
            self.problem("ym-code-error", problem)
            return
        self._verify(code)

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def _verify(self, code: str) -> None:
        assert self.services.yourmusic is not None
        try:
            outcome = await self.services.yourmusic.auth.verify(self.email, code)
        except InvalidRequest as exc:
            wrong = "code" in exc.fields
            text = "That code is not right, or it has expired. Check it, or ask for a new one."
            self.problem("ym-code-error", text if wrong else exc.message)
            return
        except SetlistError as exc:
            self.problem("ym-code-error", exc.message)
            return
        if isinstance(outcome, OnboardingRequired):
            self.pending = outcome
            text = f"There is no account for {self.email} yet: these details create one."
            self.post_message(Problem("ym-onboard-help", text))
            self.post_message(Status("Not signed in.", "ym-onboard", focus=True))
            return
        self._signed_in()

    @on(Button.Pressed, "#ym-restart")
    @on(Button.Pressed, "#ym-cancel")
    def restart(self) -> None:
        self.query_one("#ym-code-input", Input).value = ""
        self.post_message(Status("Not signed in.", "ym-email", focus=True))

    # -- onboarding

    @on(Input.Submitted, "#ym-onboard Input")
    @on(Button.Pressed, "#ym-create")
    def create_account(self) -> None:
        first = self.query_one("#ym-first", Input).value.strip()
        last = self.query_one("#ym-last", Input).value.strip()
        born = self.query_one("#ym-born", Input).value.strip()
        problems = {
            "ym-first": name_problem(first, "first name"),
            "ym-last": name_problem(last, "last name"),
            "ym-born": birth_date_problem(born),
        }
        for field, problem in problems.items():
            self.problem(f"{field}-error", problem or "")
        self.problem("ym-onboard-error", "")
        wrong = [field for field, problem in problems.items() if problem]
        if wrong:
            self.query_one(f"#{wrong[0]}", Input).focus()
            return
        self._onboard(first, last, born)

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def _onboard(self, first: str, last: str, born: str) -> None:
        assert self.services.yourmusic is not None and self.pending is not None
        try:
            await self.services.yourmusic.auth.onboard(self.pending, first, last, born)
        except SetlistError as exc:
            self.problem("ym-onboard-error", exc.message)
            return
        self._signed_in()

    def _signed_in(self) -> None:
        app_sessions(self.app).reset(self.services.editor)
        self.changed("yourmusic", True)
        self.refresh_status()

    @on(Button.Pressed, "#ym-sign-out")
    def sign_out_pressed(self) -> None:
        self.sign_out()

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def sign_out(self) -> None:
        assert self.services.yourmusic is not None
        await self.services.yourmusic.auth.logout()
        app_sessions(self.app).reset(None)
        self.changed("yourmusic", False)
        self.refresh_status()
