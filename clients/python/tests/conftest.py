"""Suite-wide rule: under the test command (run-tests sets SPIKELOOP_FORBID_SKIPS=1) a skipped test fails the run.

Every skip condition in this suite (the jar not built, an optional peer such as NEST, JAX, MNE or selenium missing,
a default port taken) means the setup is broken, and run-tests installs everything the suite needs; a skip there
would report a green run for tests that never ran. Run by hand, without the variable, skips stay skips.
"""

import os

import pytest

FORBID = os.environ.get("SPIKELOOP_FORBID_SKIPS") == "1"


def _skipped(session):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    return reporter.stats.get("skipped", []) if reporter is not None else []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if FORBID and _skipped(session) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if FORBID and skipped:
        terminalreporter.write_line(
            f"SPIKELOOP_FORBID_SKIPS=1: {len(skipped)} skipped, which fails the run (a skip here hides a broken setup):",
            red=True)
        for report in skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            terminalreporter.write_line(f"  {report.nodeid}: {reason}", red=True)
