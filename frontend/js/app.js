// Makemore Lab page: wires the form, the run stream, the charts and the run list together.
import { api, num, ApiError } from './api.js';
import { buildControls, DEFAULTS } from './controls.js';
import { LossChart, linePlot } from './charts.js';
import { el, renderSamples, drawEmbedding, drawHeatmap, renderProbe } from './views.js';

const $ = id => document.getElementById(id);
const fmt = (v, d = 4) => (v == null ? '–' : !Number.isFinite(Number(v)) ? '∞' : Number(v).toFixed(d));
const debounce = (fn, ms) => { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; };

const chart = new LossChart($('loss-chart'));
let current = null; // the open run: {id, config, status, ...}
let socket = null;
let datasets = [];
const kExplored = new Map(); // "dataset/context" -> Map(k -> dev)
let kPlot = null;

const controls = buildControls($('sliders'), (name, value) => {
  if (name === 'lr' && current && current.status === 'running') sendLr(value);
  if (controls.state.model === 'ngram') rescoreNgram();
});

// ---- model picker and dataset ----
function setModel(model, values) {
  controls.setModel(model, values);
  for (const b of document.querySelectorAll('#model-picker button')) {
    b.classList.toggle('active', b.dataset.model === model);
    b.setAttribute('aria-checked', b.dataset.model === model);
  }
  const counts = model === 'ngram';
  $('ngram-panel').hidden = !counts;
  $('run-panel').hidden = counts;
  $('run-views').hidden = counts;
  if (counts) rescoreNgram();
}
for (const b of document.querySelectorAll('#model-picker button')) {
  b.addEventListener('click', () => setModel(b.dataset.model));
}

const dataset = () => $('dataset').value || 'names';

async function loadDatasets(select) {
  datasets = await api.datasets();
  const sel = $('dataset');
  sel.replaceChildren(...datasets.map(d => new Option(`${d.name} (${d.items} items)`, d.id)));
  sel.value = select || 'names';
  datasetChanged();
}

async function datasetChanged() {
  const d = datasets.find(x => x.id === dataset());
  $('dataset-info').textContent = d ? `${d.items} items, ${d.characters} distinct characters` : '';
  try {
    const ref = await api.ngram(dataset(), 1, 1);
    chart.setRefs([
      { value: Math.log(ref.vocab.length), label: `uniform ln ${ref.vocab.length}`, color: '#868e96' },
      { value: num(ref.dev), label: 'count bigram dev', color: '#2b8a3e' },
    ]);
  } catch (e) { /* the reference lines are a nicety */ }
  if (controls.state.model === 'ngram') rescoreNgram();
}
$('dataset').addEventListener('change', datasetChanged);

$('upload').addEventListener('change', async () => {
  const file = $('upload').files[0];
  $('dataset-error').textContent = '';
  if (!file) return;
  try {
    const info = await api.upload(file);
    await loadDatasets(info.id);
  } catch (e) {
    $('dataset-error').textContent = `${file.name}: ${e.message}`;
  } finally {
    $('upload').value = '';
  }
});

// ---- count n-gram: re-scored on every slider move ----
const rescoreNgram = debounce(async () => {
  const { context, smoothing } = controls.state.values;
  if (!controls.valid()) return;
  try {
    const r = await api.ngram(dataset(), context, smoothing);
    $('ngram-nll').textContent = `train ${fmt(num(r.train))} · dev ${fmt(num(r.dev))}` +
      (Number.isFinite(num(r.dev)) ? '' : '  (k = 0 gives unseen pairs probability 0)');
    $('ngram-nll').dataset.dev = fmt(num(r.dev));
    const canvas = $('heatmap');
    canvas.hidden = context !== 1;
    $('heatmap-hint').textContent = context === 1 ? 'N[previous][next] + k: darker = more often'
      : 'the count matrix is drawn for context 1 (a bigram)';
    if (context === 1) drawHeatmap(canvas, r.vocab, r.counts, smoothing);
    renderSamples($('ngram-samples'), r.samples);
    const key = dataset() + '/' + context;
    if (!kExplored.has(key)) kExplored.set(key, new Map());
    if (smoothing > 0 && Number.isFinite(num(r.dev))) kExplored.get(key).set(smoothing, num(r.dev));
    const pts = [...kExplored.get(key)].sort((a, b) => a[0] - b[0]);
    if (!kPlot) kPlot = linePlot($('k-chart'), ['dev NLL'], { logX: true, xLabel: 'smoothing k', yLabel: 'dev NLL' });
    kPlot.setData([pts.map(p => p[0]), pts.map(p => p[1])]);
    $('config-error').textContent = '';
  } catch (e) {
    $('config-error').textContent = e.message;
  }
}, 40);

// ---- runs: create, open, stream ----
async function train(configOverride) {
  $('config-error').textContent = '';
  if (!configOverride && !controls.valid()) return; // the inline error already says why
  const cfg = configOverride || controls.config(dataset());
  try {
    const { id } = await api.create(cfg);
    location.hash = '#/runs/' + id;
    refreshRuns();
  } catch (e) {
    $('config-error').textContent = e instanceof ApiError && e.field ? `${e.field}: ${e.message}` : e.message;
  }
}
$('train').addEventListener('click', () => train());
$('stop').addEventListener('click', async () => {
  if (!current) return;
  try { await api.stop(current.id); } catch (e) { $('run-error').textContent = e.message; }
});

function openRun(id) {
  if (socket) { socket.onclose = null; socket.close(); }
  current = { id, status: 'queued' };
  $('run-bar').hidden = false;
  $('run-title').textContent = 'Run ' + id;
  $('run-error').textContent = '';
  $('test-result').textContent = '';
  $('score-test').textContent = 'Score test split';
  $('run-link').value = `${location.origin}/#/runs/${id}`;
  connect(id);
  highlightRun();
}

function connect(id) {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/runs/${encodeURIComponent(id)}`);
  socket = ws;
  ws.onmessage = ev => handle(JSON.parse(ev.data));
  ws.onclose = ev => {
    if (socket !== ws) return;
    if (ev.code === 4404) { $('run-error').textContent = ev.reason; return; }
    if (current && (current.status === 'running' || current.status === 'queued')) {
      setTimeout(() => current && current.id === id && connect(id), 1000); // a fresh snapshot fills any gap
    }
  };
}

function handle(m) {
  switch (m.type) {
    case 'snapshot': {
      const r = m.run;
      current = r;
      setModel(r.config.model, r.config);
      $('dataset').value = r.config.dataset;
      chart.load(r);
      if (r.samples) renderSamples($('samples'), r.samples.names, $('novelty'));
      else renderSamples($('samples'), [], $('novelty'));
      drawEmbedding($('embedding'), r.embedding && r.embedding.points);
      $('embedding-hint').textContent = r.embedding ? `step ${r.embedding.step}` : '';
      if (r.test) $('test-result').textContent = `test ${fmt(num(r.test.loss))} (scored ${r.test.scoredAt})`;
      showStatus(r.status, r.message);
      showMetrics();
      showProgress(r.step, r.stepsPerSec);
      break;
    }
    case 'progress':
      chart.addPoints(m.points);
      current.step = m.step;
      showProgress(m.step, m.stepsPerSec);
      break;
    case 'eval':
      chart.addEval(m);
      (current.evals = current.evals || []).push(m);
      showMetrics();
      break;
    case 'samples':
      renderSamples($('samples'), m.names, $('novelty'));
      break;
    case 'embedding':
      drawEmbedding($('embedding'), m.points);
      $('embedding-hint').textContent = `step ${m.step}`;
      break;
    case 'lr':
      chart.addMark(m.step, m.lr);
      break;
    case 'status':
      showStatus(m.status, m.message);
      if (!['queued', 'running'].includes(m.status)) refreshRuns();
      break;
    case 'error':
      $('run-error').textContent = m.error;
      break;
  }
}

function showStatus(status, message) {
  current.status = status;
  const badge = $('status-badge');
  badge.textContent = status;
  badge.className = 'badge ' + status;
  $('status-text').textContent = message || '';
  $('stop').disabled = !['queued', 'running'].includes(status);
  $('run-error').textContent = ['diverged', 'failed', 'interrupted'].includes(status) ? message : '';
}

function showMetrics() {
  const devs = (current.evals || []).filter(e => e.split === 'dev');
  const trains = (current.evals || []).filter(e => e.split === 'train');
  const last = devs.length ? devs[devs.length - 1] : null;
  const best = devs.reduce((b, e) => (b == null || num(e.loss) < b ? num(e.loss) : b), null);
  $('run-metrics').textContent = last
    ? `dev ${fmt(num(last.loss))} · best dev ${fmt(best)} · train ${fmt(num(trains[trains.length - 1].loss))} at step ${last.step}`
    : 'no evaluation yet';
}

function showProgress(step, rate) {
  const total = current.config ? current.config.steps : 0;
  if (!total) { $('progress-text').textContent = ''; return; }
  const eta = rate > 0 && current.status === 'running' ? Math.max(0, (total - step) / rate) : 0;
  $('progress-text').textContent = `step ${step}/${total} · ${Math.round(rate || 0)} steps/s` +
    (eta ? ` · ETA ${eta < 60 ? Math.ceil(eta) + 's' : Math.floor(eta / 60) + 'm' + Math.round(eta % 60) + 's'}` : '');
}

const sendLr = debounce(lr => {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'set', lr }));
}, 150);

// ---- links, test score ----
function rerunLink(cfg) {
  const b64 = btoa(unescape(encodeURIComponent(JSON.stringify(cfg)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${location.origin}/#/rerun/${b64}`;
}
function parseRerun(b64) {
  const s = b64.replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(decodeURIComponent(escape(atob(s + '='.repeat((4 - (s.length % 4)) % 4)))));
}
async function copy(text) {
  $('run-link').value = text;
  $('run-link').select();
  try { await navigator.clipboard.writeText(text); } catch (e) { /* the link is selected in the field */ }
}
$('copy-link').addEventListener('click', () => current && copy(`${location.origin}/#/runs/${current.id}`));
$('copy-rerun').addEventListener('click', () => current && current.config && copy(rerunLink(current.config)));
$('score-test').addEventListener('click', async () => {
  const b = $('score-test');
  if (b.dataset.armed !== '1') {
    b.dataset.armed = '1';
    b.textContent = 'Sure? Test is for the end: click again';
    return;
  }
  b.dataset.armed = '';
  b.textContent = 'Score test split';
  try {
    const r = await api.test(current.id);
    $('test-result').textContent = `test ${fmt(num(r.loss))}` + (r.alreadyScored ? ' (scored earlier; not re-run)' : '');
    refreshRuns();
  } catch (e) {
    $('test-result').textContent = e.message;
  }
});

// ---- word probe ----
const probe = debounce(async () => {
  const word = $('probe').value.trim();
  $('probe-error').textContent = '';
  if (!word) { $('probe-result').replaceChildren(); return; }
  if (!current) { $('probe-error').textContent = 'open or train a run first'; return; }
  try {
    renderProbe($('probe-result'), await api.probe(current.id, word));
  } catch (e) {
    $('probe-result').replaceChildren();
    $('probe-error').textContent = e.message;
  }
}, 150);
$('probe').addEventListener('input', probe);

// ---- run list, compare, export ----
const selected = new Set();
async function refreshRuns() {
  let runs;
  try { runs = await api.runs(); } catch (e) { return; }
  const body = $('runs').tBodies[0];
  body.replaceChildren();
  for (const r of runs) {
    const tr = el('tr');
    tr.dataset.id = r.id;
    const box = el('input');
    box.type = 'checkbox';
    box.checked = selected.has(r.id);
    box.setAttribute('aria-label', 'select run ' + r.id);
    box.addEventListener('click', ev => {
      ev.stopPropagation();
      if (box.checked) selected.add(r.id); else selected.delete(r.id);
      updateSelection();
    });
    const td = el('td'); td.append(box);
    tr.append(td, el('td', null, r.id.slice(0, 6)), el('td', null, r.model + (r.dataset === 'names' ? '' : ' *')),
      el('td', null, r.status), el('td', 'num', r.bestDev == null ? '–' : fmt(r.bestDev)));
    tr.title = `${r.created} · ${r.dataset} · ${r.message || ''}` + (r.test != null ? ` · test ${fmt(r.test)}` : '');
    tr.addEventListener('click', () => { location.hash = '#/runs/' + r.id; });
    body.append(tr);
  }
  highlightRun();
}
function highlightRun() {
  for (const tr of $('runs').tBodies[0].rows) tr.classList.toggle('current', !!current && tr.dataset.id === current.id);
}
function updateSelection() {
  $('compare').disabled = selected.size < 2;
  $('export-csv').disabled = $('export-json').disabled = selected.size === 0;
}
$('refresh-runs').addEventListener('click', refreshRuns);
$('export-csv').addEventListener('click', () => { location.href = `/api/export?format=csv&ids=${[...selected].join(',')}`; });
$('export-json').addEventListener('click', () => { location.href = `/api/export?format=json&ids=${[...selected].join(',')}`; });
$('close-compare').addEventListener('click', () => { $('compare-panel').hidden = true; });
let comparePlot = null;
$('compare').addEventListener('click', async () => {
  const runs = await Promise.all([...selected].map(id => api.run(id)));
  $('compare-panel').hidden = false;
  const steps = [...new Set(runs.flatMap(r => r.evals.filter(e => e.split === 'dev').map(e => e.step)))].sort((a, b) => a - b);
  const series = runs.map(r => {
    const m = new Map(r.evals.filter(e => e.split === 'dev').map(e => [e.step, num(e.loss)]));
    return steps.map(s => (m.has(s) && Number.isFinite(m.get(s)) ? m.get(s) : null));
  });
  if (comparePlot) comparePlot.destroy();
  comparePlot = linePlot($('compare-chart'), runs.map(r => `${r.id.slice(0, 6)} ${r.config.model}`),
    { xLabel: 'step', yLabel: 'dev loss', height: 260 });
  comparePlot.setData([steps, ...series]);
  const table = $('compare-table');
  table.replaceChildren();
  const head = el('tr');
  head.append(el('th', null, 'field'), ...runs.map(r => el('th', null, r.id.slice(0, 6))));
  table.append(head);
  const rows = [...Object.keys(runs[0].config), 'bestDev', 'status'];
  for (const k of rows) {
    const vals = runs.map(r => (k in r.config ? r.config[k] : r[k]));
    const tr = el('tr', new Set(vals.map(v => JSON.stringify(v))).size > 1 ? 'differs' : '');
    tr.append(el('td', null, k), ...vals.map(v => el('td', null, typeof v === 'number' && !Number.isInteger(v) ? fmt(v) : String(v))));
    table.append(tr);
  }
});

// ---- chart tools ----
$('ema').addEventListener('input', () => {
  $('ema-value').textContent = Number($('ema').value).toFixed(2);
  chart.setBeta(Number($('ema').value));
});
$('logy').addEventListener('change', () => chart.setLogY($('logy').checked));

// ---- routing: #/runs/{id} opens a stored run, #/rerun/{config} starts the same config + seed ----
async function route() {
  const h = location.hash;
  let m;
  if ((m = h.match(/^#\/runs\/([\w-]+)$/))) {
    if (!current || current.id !== m[1]) openRun(m[1]);
  } else if ((m = h.match(/^#\/rerun\/([\w-]+)$/))) {
    let cfg;
    try { cfg = parseRerun(m[1]); } catch (e) { $('config-error').textContent = 're-run link is damaged'; return; }
    setModel(cfg.model || 'mlp', cfg);
    await train(cfg);
  }
}
window.addEventListener('hashchange', route);

(async function init() {
  setModel('mlp', DEFAULTS.mlp);
  await loadDatasets();
  await refreshRuns();
  await route();
  drawEmbedding($('embedding'), null);
})();
