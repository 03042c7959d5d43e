"""The fault suite's report: each fault the tests put setlist through, and what held.

A test marked `@pytest.mark.fault("what goes wrong", "what must hold")` is part of
the fault suite (`make faults` runs those alone, `make test` runs them with the
rest). At the end of a run, a table lists every fault tried, what had to hold, and
whether it held. Workers of pytest-xdist pass the marker along in the report's
user properties, so the table is the same with or without -n.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

_TRIED: list[Tried] = []


@dataclass(frozen=True)
class Tried:
    what: str
    held: str
    outcome: str  # "held", "FAILED"
    test: str


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fault(what, held): a fault the suite puts setlist through, and what must hold",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("fault")
    if marker is not None and len(marker.args) == 2:
        report.user_properties.append(("fault", tuple(marker.args)))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    fault = dict(report.user_properties).get("fault")
    if fault is None:
        return
    what, held = fault
    if report.when == "call" or (report.when == "setup" and not report.passed):
        outcome = "held" if report.passed else "FAILED"
        _TRIED.append(Tried(what, held, outcome, report.nodeid))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _TRIED:
        return
    write = terminalreporter.write_line
    terminalreporter.section("faults tried")
    for tried in sorted(_TRIED, key=lambda t: t.test):
        write(f"[{tried.outcome}] {tried.what}")
        write(f"         held: {tried.held}")
    broken = sum(t.outcome != "held" for t in _TRIED)
    write(f"{len(_TRIED)} faults tried, {len(_TRIED) - broken} held, {broken} did not.")
