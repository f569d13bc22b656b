"""The status page (issue 18) in a real browser: Debian's headless `chromium` driven through Selenium and
Debian's `chromedriver`, against `spikeloop serve` with bearer tokens and a session fed by a pylsl outlet.
The page lists the session; its traces move; the figures it shows are the gRPC statistics (once the
session is still, exactly); a viewer's token cannot stop the session (the server refuses it and audits
the refusal) while an operator's can pause learning (audited as the gRPC call); and the page keeps
working after the session's LSL source stalls and comes back."""

import re
import shutil
import threading
import time
import uuid

import numpy as np
import pytest

from _spikeloop_jar import JAR  # sets LSLAPICFG before pylsl loads liblsl
from test_server_e2e import OPERATOR_TOKEN, VIEWER_TOKEN, start_server, tokens_file

import pylsl

from spikeloop_client import Client

selenium = pytest.importorskip("selenium", reason="selenium is in requirements.txt: run setup-venv.sh")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}"),
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                       reason="needs Debian's chromium and chromium-driver (clients/python/install-browser.sh)"),
]

RATE_HZ = 500.0
CHANNELS = 8


class Rig:
    """A pylsl outlet of spike counts at RATE_HZ, pushed in 10-ms chunks stamped local_clock(), that can
    pause (the session's source stalls) and resume."""

    def __init__(self):
        self.name = f"page-rig-{uuid.uuid4().hex[:8]}"
        self.outlet = pylsl.StreamOutlet(
            pylsl.StreamInfo(self.name, "Spikes", CHANNELS, RATE_HZ, "float32", self.name))
        self.running = threading.Event()
        self.running.set()
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        rng = np.random.default_rng(3)
        n = int(RATE_HZ / 100)
        while not self.stop_flag.is_set():
            if self.running.is_set():
                x = (rng.random((n, CHANNELS)) < 0.1).astype(np.float32)
                now = pylsl.local_clock()
                for k in range(n):
                    self.outlet.push_sample(x[k].tolist(), now - (n - 1 - k) / RATE_HZ)
            time.sleep(0.01)

    def close(self):
        self.stop_flag.set()
        self.thread.join(timeout=5)


def wait_for(predicate, timeout=20.0, what="condition"):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            last = predicate()
            if last:
                return last
        except Exception as e:  # the page may be between renders
            last = e
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1400"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def chart_png(driver):
    return driver.find_element(By.CSS_SELECTOR, "#chart canvas").screenshot_as_png


def test_the_page_shows_the_session_live_equals_grpc_refuses_a_viewer_and_survives_a_stall(tmp_path, browser):
    s = start_server(tmp_path, "--tokens", tokens_file(tmp_path))
    rig = None
    try:
        url = s.page
        assert url and url.startswith("http://127.0.0.1:"), url
        rig = Rig()
        with Client(s.target, OPERATOR_TOKEN) as op, Client(s.target, VIEWER_TOKEN) as viewer:
            sid = op.create_session(channels=CHANNELS, sample_rate_hz=RATE_HZ, hidden=16, outputs=2,
                                    lsl_stream=rig.name, stall_after_s=0.5, learning=True).id
            wait_for(lambda: viewer.statistics(sid).steps > 200, what="the session to decode")

            # The page asks for a token it does not have; with the viewer's it lists the session.
            browser.get(url + "#token=" + VIEWER_TOKEN)
            wait_for(lambda: browser.find_element(By.CSS_SELECTOR, f'#sessions tr[data-session="{sid}"]'),
                     what="the session in the table")
            assert rig.name in browser.find_element(By.CSS_SELECTOR, f'tr[data-session="{sid}"]').text
            assert VIEWER_TOKEN not in browser.current_url  # taken out of the address bar

            # The traces move: two screenshots of the chart a second apart differ.
            wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#chart canvas"), what="the chart")
            first = chart_png(browser)
            time.sleep(1.0)
            assert chart_png(browser) != first, "the trace area did not change in a second"

            # The figures are GetStatistics' within one refresh: counters lie between two reads around it.
            before = viewer.statistics(sid)
            time.sleep(1.5)  # at least one status refresh after `before`
            shown = {k: int(text(browser, k)) for k in ("fig-steps", "fig-updates", "fig-misses")}
            after = viewer.statistics(sid)
            assert before.steps <= shown["fig-steps"] <= after.steps, (before.steps, shown, after.steps)
            assert before.learning_updates <= shown["fig-updates"] <= after.learning_updates
            assert before.deadline_misses <= shown["fig-misses"] <= after.deadline_misses

            # The source stalls: the page says so, and once the session is still its figures are exactly
            # GetStatistics' (the counters and the latency percentiles, as the page rounds them).
            rig.running.clear()
            wait_for(lambda: text(browser, "fig-state") == "STALLED", what="STALLED on the page")
            wait_for(lambda: viewer.statistics(sid).steps == viewer.statistics(sid).steps, what="still")
            time.sleep(2.5)  # two refreshes of a still session
            st = viewer.statistics(sid)
            assert text(browser, "fig-steps") == str(st.steps)
            assert text(browser, "fig-misses") == str(st.deadline_misses)
            assert text(browser, "fig-updates") == str(st.learning_updates)
            assert text(browser, "fig-p50") == f"{st.end_to_end_latency.p50_us:.1f}"
            assert text(browser, "fig-p99") == f"{st.end_to_end_latency.p99_us:.1f}"
            stalled_steps = st.steps

            # It returns: decoding resumes and the same page (no reload) follows it again.
            rig.running.set()
            wait_for(lambda: text(browser, "fig-state") != "STALLED", timeout=30, what="the stream back")
            wait_for(lambda: int(text(browser, "fig-steps")) > stalled_steps + 200, timeout=30,
                     what="steps moving on the page after the stall")
            first = chart_png(browser)
            time.sleep(1.0)
            assert chart_png(browser) != first, "the traces stopped after the stall"

            # A viewer cannot stop the session: the page asks, the server refuses (403) and audits it.
            browser.execute_script("window.confirm = () => true;")
            browser.find_element(By.CSS_SELECTOR, 'button[data-action="stop"]').click()
            msg = wait_for(lambda: "refused" in text(browser, "action-msg") and text(browser, "action-msg"),
                           what="the refusal on the page")
            assert "403" in msg and "PERMISSION_DENIED" in msg, msg
            assert viewer.get_session(sid).state in ("RUNNING", "LEARNING")
            audit = (tmp_path / "audit.log").read_text()
            refused = [line for line in audit.splitlines() if '"page.refused"' in line]
            assert len(refused) == 1 and '"who":"bob"' in refused[0] and sid in refused[0], audit

            # An operator can pause learning from the page: the gRPC call's audit line names them.
            browser.get(url + "#token=" + OPERATOR_TOKEN)
            wait_for(lambda: text(browser, "detail-id") == sid, what="the session selected")
            browser.execute_script("window.confirm = () => true;")
            browser.find_element(By.CSS_SELECTOR, 'button[data-action="pause"]').click()
            wait_for(lambda: text(browser, "action-msg") == "pause: done", what="the pause done")
            assert op.learning_state(sid).mode == "PAUSED"
            audit = (tmp_path / "audit.log").read_text()
            assert re.search(r'"who":"alice","action":"call LearningService/SetLearningMode","session":"'
                             + re.escape(sid), audit), audit
            assert OPERATOR_TOKEN not in audit and VIEWER_TOKEN not in audit
    finally:
        if rig:
            rig.close()
        assert s.stop() == 0, (tmp_path / "server.err").read_text()


def test_a_trial_session_shows_class_probabilities_and_each_decision_against_its_cue(tmp_path, browser):
    from test_session_lsl import RealtimeSamples  # gRPC ingest at about 1 kHz

    s = start_server(tmp_path, "--tokens", tokens_file(tmp_path))
    name = f"page-cues-{uuid.uuid4().hex[:8]}"
    markers = pylsl.StreamOutlet(pylsl.StreamInfo(name, "Markers", 1, pylsl.IRREGULAR_RATE, "string",
                                                  f"{name}-src"))
    try:
        with Client(s.target, OPERATOR_TOKEN) as op:
            sid = op.create_session(channels=8, hidden=16, outputs=2,
                                    lsl_labels={"name": name, "kind": "markers", "trial_s": 0.5,
                                                "start_offset_s": 0.2, "cue_classes": {"left": 0, "right": 1},
                                                "class_names": ["left", "right"]}).id
            wait_for(markers.have_consumers, what="the marker inlet")
            browser.get(s.page + "#token=" + VIEWER_TOKEN)
            wait_for(lambda: text(browser, "detail-id") == sid, what="the session selected")
            with RealtimeSamples(op, sid, 8):
                wait_for(lambda: "p(left)" in text(browser, "chart"), what="the class probability traces")
                cues = ["left", "right", "left"]
                for cue in cues:
                    markers.push_sample([cue], pylsl.local_clock())
                    time.sleep(1.0)
                rows = wait_for(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#decisions tbody tr")) == 3
                                and browser.find_elements(By.CSS_SELECTOR, "#decisions tbody tr"),
                                what="three decided trials on the page")
                # Newest first: each row names its cue's class and a decided class, marked right or wrong.
                for row, cue in zip(rows, reversed(cues)):
                    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
                    assert cells[1].startswith(cue + " ("), cells
                    assert cells[2] in ("left", "right"), cells
                    assert cells[3] == ("✓" if cells[2] == cue else "✗"), cells
                assert text(browser, "score-name").startswith("accuracy")
                assert re.fullmatch(r"\d\.\d\d of 3", text(browser, "fig-score")), text(browser, "fig-score")
    finally:
        del markers
        assert s.stop() == 0, (tmp_path / "server.err").read_text()
