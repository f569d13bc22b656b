// The Spikeloop status page: the session table (GET /api/status, every 2 s), the selected session's live
// feed (GET /api/stream, Server-Sent Events read through fetch so that the token travels in the
// Authorization header, never in a URL), and the operator actions (POST /api/action). No build step.
'use strict';

const WINDOW_S = 10;          // the traces' window, and the sliding R² over it
const ACCURACY_TRIALS = 20;   // trial sessions: accuracy over the last this many decided trials
const $ = (id) => document.getElementById(id);

let token = sessionStorage.getItem('spikeloop-token') || '';

// A link may carry the token in the fragment (#token=…), which the browser never sends to the server.
function tokenFromHash() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!fromHash) return false;
  token = fromHash;
  sessionStorage.setItem('spikeloop-token', token);
  history.replaceState(null, '', location.pathname); // keep the token out of the address bar
  return true;
}
tokenFromHash();
window.addEventListener('hashchange', () => {
  if (tokenFromHash()) {
    $('action-msg').textContent = '';
    refreshSessions();
    if (selected) openFeed(selected);
  }
});

function headers() {
  return token ? { Authorization: 'Bearer ' + token } : {};
}

function showError(text) {
  $('error').textContent = text || '';
  $('error').hidden = !text;
}

async function api(path, options = {}) {
  const r = await fetch(path, { ...options, headers: headers(), cache: 'no-store' });
  if (r.status === 401) {
    $('token-form').hidden = false;
  }
  const text = await r.text();
  if (!r.ok) {
    throw new Error(r.status + ' ' + text.trim());
  }
  return JSON.parse(text);
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  token = $('token').value.trim();
  sessionStorage.setItem('spikeloop-token', token);
  $('token-form').hidden = true;
  refreshSessions();
  if (selected) openFeed(selected);
});

const num = (v) => (v === undefined || v === null ? NaN : Number(v)); // 64-bit fields come as strings
const short = (id) => (id ? String(id).slice(0, 12) : '–');
const fixed = (v, d) => (Number.isFinite(v) ? v.toFixed(d) : '–');

function uptime(createdMs) {
  const s = Math.max(0, Math.round((Date.now() - num(createdMs)) / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + (s % 60) + 's';
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

// ---- the session table ----

let selected = null;

async function refreshSessions() {
  let o;
  try {
    o = await api('/api/status');
  } catch (e) {
    $('conn').textContent = 'server: ' + e.message;
    return;
  }
  $('conn').textContent = 'connected';
  $('rate').textContent = o.stream_rate_hz;
  const body = $('sessions').tBodies[0];
  body.replaceChildren();
  $('no-sessions').hidden = o.sessions.length > 0;
  for (const s of o.sessions) {
    const row = body.insertRow();
    row.dataset.session = s.session.id;
    if (s.session.id === selected) row.className = 'selected';
    const src = s.session.spec.source || {};
    cell(row, s.session.id);
    cell(row, s.session.spec.name || '');
    cell(row, src.lsl_stream_name || 'gRPC ingest');
    cell(row, s.session.state.replace('SESSION_STATE_', ''), 'state ' + s.session.state.replace('SESSION_STATE_', ''));
    cell(row, uptime(s.session.created_unix_ms));
    cell(row, s.session.steps);
    cell(row, s.learning ? s.learning.mode.replace('LEARNING_MODE_', '') : '–');
    const g = s.governance || {};
    cell(row, short(g.active_checkpoint || (s.learning && s.learning.active_checkpoint)));
    cell(row, short(g.reference_checkpoint));
    cell(row, short(g.last_good_checkpoint));
    row.addEventListener('click', () => select(s.session.id));
  }
  const live = o.sessions.filter((s) => !s.session.state.endsWith('STOPPED'));
  if (!selected && live.length > 0) select(live[0].session.id);
}

function select(id) {
  if (selected === id) return;
  selected = id;
  for (const r of $('sessions').tBodies[0].rows) r.className = r.dataset.session === id ? 'selected' : '';
  openFeed(id);
}

// ---- the live feed ----

let feed = null;      // AbortController of the open stream
let frames = [];      // {t, y, label}
let decisions = [];
let classes = [];
let lastFrameAt = 0;
let plot = null;
let report = null;

function openFeed(id) {
  if (feed) feed.abort();
  feed = new AbortController();
  frames = []; decisions = []; classes = []; report = null;
  if (plot) { plot.destroy(); plot = null; }
  $('detail').hidden = false;
  $('detail-id').textContent = id;
  $('decisions').tBodies[0].replaceChildren();
  $('action-msg').textContent = '';
  readFeed(id, feed.signal);
}

async function readFeed(id, signal) {
  while (!signal.aborted) {
    try {
      const r = await fetch('/api/stream?session=' + encodeURIComponent(id), { headers: headers(), signal });
      if (!r.ok) {
        showError('live feed: ' + r.status + ' ' + (await r.text()).trim());
        if (r.status === 404 || r.status === 401 || r.status === 403) return;
      } else {
        showError('');
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            onEvent(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      showError('live feed: ' + e.message);
    }
    await new Promise((res) => setTimeout(res, 2000)); // reconnect (the stream closed or failed)
  }
}

function onEvent(block) {
  let name = 'message', data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) name = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  const d = JSON.parse(data);
  if (name === 'frame') onFrame(d);
  else if (name === 'decision') onDecision(d);
  else if (name === 'status') onStatus(d);
  else if (name === 'ended') showError('session ' + d.session_id + ' stopped');
  else if (name === 'error') showError(String(d));
}

function onFrame(f) {
  lastFrameAt = Date.now();
  frames.push({ t: f.t, y: f.y, label: f.label });
  const cut = f.t - WINDOW_S;
  while (frames.length && frames[0].t < cut) frames.shift();
}

function onDecision(d) {
  decisions.push(d);
  if (decisions.length > ACCURACY_TRIALS) decisions.shift();
  const row = $('decisions').tBodies[0].insertRow(0);
  const right = d.decision === d.cue_class;
  cell(row, d.trial);
  cell(row, d.cue_class + ' (' + d.cue + ')');
  cell(row, d.decision === null ? 'none' : d.decision);
  cell(row, right ? '✓' : '✗', right ? 'ok' : 'bad');
  cell(row, Object.entries(d.probabilities).map(([k, p]) => k + ' ' + fixed(p, 2)).join(', '));
  while ($('decisions').tBodies[0].rows.length > ACCURACY_TRIALS) $('decisions').tBodies[0].deleteRow(-1);
}

function softmax(y) {
  const m = Math.max(...y);
  const e = y.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

// Sliding R² over the window: 1 - SSE/SST per output on the frames with a label, averaged over outputs.
function slidingR2() {
  const labelled = frames.filter((f) => f.label);
  if (labelled.length < 10) return NaN;
  const k = labelled[0].y.length;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const mean = labelled.reduce((a, f) => a + f.label[j], 0) / labelled.length;
    let sse = 0, sst = 0;
    for (const f of labelled) {
      sse += (f.label[j] - f.y[j]) ** 2;
      sst += (f.label[j] - mean) ** 2;
    }
    sum += sst > 0 ? 1 - sse / sst : NaN;
  }
  return sum / k;
}

function onStatus(r) {
  report = r;
  const s = r.session, st = r.statistics, l = r.learning;
  const labelSpec = s.spec.lsl_labels;
  if (labelSpec && labelSpec.kind === 'LABEL_KIND_MARKERS') {
    const k = s.spec.decoder && s.spec.decoder.architecture ? s.spec.decoder.architecture.outputs : 0;
    classes = labelSpec.class_names.length ? labelSpec.class_names
        : (decisions.length ? Object.keys(decisions[decisions.length - 1].probabilities)
            : Array.from({ length: k || (frames.length ? frames[0].y.length : 2) }, (_, j) => 'class ' + j));
    $('trials').hidden = false;
  } else {
    classes = [];
    $('trials').hidden = true;
  }
  const state = s.state.replace('SESSION_STATE_', '');
  $('fig-state').textContent = state;
  $('fig-state').className = 'state ' + state;
  $('fig-steps').textContent = st.steps;
  $('fig-p50').textContent = fixed(num(st.end_to_end_latency.p50_us), 1);
  $('fig-p99').textContent = fixed(num(st.end_to_end_latency.p99_us), 1);
  $('fig-misses').textContent = st.deadline_misses;
  $('fig-skipped').textContent = st.samples_skipped;
  $('fig-updates').textContent = st.learning_updates;
  $('fig-guards').textContent = st.guard_events + (l && l.last_guard_event ? ' (' + l.last_guard_event + ')' : '');
  const g = r.governance;
  if (g && g.scores && g.scores.frames > 0) {
    const d = num(g.scores.live_r2) - num(g.scores.reference_r2);
    $('fig-drift').textContent = 'live − reference R² ' + fixed(d, 3);
  } else {
    $('fig-drift').textContent = 'error EMA ' + fixed(num(st.decode_error), 4);
  }
  const labels = s.lsl_labels;
  $('fig-liveness').textContent = (state === 'STALLED' ? 'stalled' : 'live') +
      (labels ? (labels.stalled ? ', labels stalled' : ', labels live') : '') +
      ', ' + fixed(num(st.steps_per_second), 0) + ' steps/s';
  renderCheckpoints(r);
  renderJobs(r.jobs ? r.jobs.jobs : []);
  renderAudit(r.audit ? r.audit.events : []);
}

function renderCheckpoints(r) {
  const body = $('checkpoints').tBodies[0];
  body.replaceChildren();
  const g = r.governance || {}, l = r.learning || {};
  const rows = [
    ['active', g.active_checkpoint || l.active_checkpoint],
    ['reference', g.reference_checkpoint],
    ['last good', g.last_good_checkpoint],
    ['roll-back depth', l.rollback_depth],
    ['learner', l.learner],
  ];
  for (const [k, v] of rows) {
    const row = body.insertRow();
    cell(row, k, 'muted');
    cell(row, v === undefined || v === '' ? '–' : String(v));
  }
}

function renderJobs(jobs) {
  const body = $('jobs').tBodies[0];
  body.replaceChildren();
  for (const j of jobs.slice(0, 10)) {
    const row = body.insertRow();
    cell(row, j.id);
    cell(row, j.state.replace('JOB_STATE_', ''));
    cell(row, j.creator);
    cell(row, short(j.checkpoint_id));
    const c = j.classification;
    cell(row, c && num(c.trials) > 0 ? 'accuracy ' + fixed(num(c.accuracy), 3) : j.summary || j.error || '');
  }
}

function renderAudit(events) {
  const body = $('audit').tBodies[0];
  body.replaceChildren();
  for (const e of events.slice(-15).reverse()) {
    const row = body.insertRow();
    cell(row, new Date(num(e.time_unix_ms)).toLocaleTimeString());
    cell(row, e.action);
    cell(row, e.who);
    cell(row, short(e.from_checkpoint) + ' → ' + short(e.to_checkpoint));
    cell(row, e.reason);
  }
}

// ---- the chart (uPlot), redrawn a few times a second ----

function draw() {
  if (!frames.length) return;
  const k = frames[0].y.length;
  const trial = classes.length > 0;
  const now = frames[frames.length - 1].t;
  const x = frames.map((f) => f.t - now);
  const data = [x];
  const series = [{}];
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  for (let j = 0; j < k; j++) {
    data.push(frames.map((f) => (trial ? softmax(f.y)[j] : f.y[j])));
    series.push({ label: trial ? 'p(' + classes[j] + ')' : 'output ' + j, stroke: colours[j % 6], width: 1.5, points: { show: false } });
    if (!trial) {
      data.push(frames.map((f) => (f.label ? f.label[j] : null)));
      series.push({ label: 'label ' + j, stroke: colours[j % 6], dash: [4, 4], width: 1, points: { show: false } });
    }
  }
  if (!plot || plot.series.length !== series.length) {
    if (plot) plot.destroy();
    const width = Math.min(1100, document.body.clientWidth - 20);
    plot = new uPlot({ width, height: 280, series, scales: { x: { time: false } },
      axes: [{ label: 'seconds (source clock, relative to the newest frame)' }, {}] }, data, $('chart'));
  } else {
    plot.setData(data);
  }
  if (trial) {
    const decided = decisions.filter((d) => d.decision !== null);
    const right = decided.filter((d) => d.decision === d.cue_class).length;
    $('score-name').textContent = 'accuracy (last ' + ACCURACY_TRIALS + ' trials)';
    $('fig-score').textContent = decided.length ? fixed(right / decided.length, 2) + ' of ' + decided.length : '–';
  } else {
    $('score-name').textContent = 'R² (last ' + WINDOW_S + ' s, ' + $('rate').textContent + ' Hz)';
    $('fig-score').textContent = fixed(slidingR2(), 3);
  }
}

function tick() {
  draw();
  if (lastFrameAt && report) {
    const age = (Date.now() - lastFrameAt) / 1000;
    $('fig-liveness').dataset.frameAgeS = age.toFixed(1);
    if (age > 2) $('fig-liveness').textContent = 'no frames for ' + age.toFixed(0) + ' s';
  }
}

// ---- operator actions ----

const ACTIONS = {
  pause: 'Pause learning of session %s?',
  resume: 'Resume learning of session %s?',
  rollback: 'Roll session %s back to its previous checkpoint?',
  stop: 'Stop session %s? This ends its decoding.',
};

for (const b of document.querySelectorAll('button[data-action]')) {
  b.addEventListener('click', async () => {
    const action = b.dataset.action;
    if (!selected || !confirm(ACTIONS[action].replace('%s', selected))) return;
    try {
      await api('/api/action?session=' + encodeURIComponent(selected) + '&action=' + action, { method: 'POST' });
      $('action-msg').textContent = action + ': done';
      $('action-msg').className = 'ok';
    } catch (e) {
      $('action-msg').textContent = action + ' refused: ' + e.message;
      $('action-msg').className = 'bad';
    }
  });
}

refreshSessions();
setInterval(refreshSessions, 2000);
setInterval(tick, 100);
