// Makemore Lab page: controls, live run view over a WebSocket, count n-gram explorer, run list, compare, links.

import { api, ApiError, RunSocket } from './api.js';
import { $, el, clear, num, fmtLoss, fmtNum, fmtInt, fmtDuration, fmtTime, debounce, frameThrottle } from './util.js';
import { PARAMS, MODEL_DEFAULTS, MODEL_NOTES, buildParams, parseTyped } from './params.js';
import { LossChart, KPlot, Scatter, Heatmap } from './charts.js';

const TERMINAL = ['finished', 'stopped', 'diverged', 'failed', 'interrupted'];
const K_SWEEP = [0.001, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 10000];
const KNOWN = new Set(['dataset', 'model', ...PARAMS.map((p) => p.key), 'sampleEvery']);

const S = {
  datasets: [],
  dataset: 'names',
  model: 'mlp',
  values: { ...MODEL_DEFAULTS.mlp, seed: 42 },
  extra: {}, // fields a re-run link carried that this page has no control for: passed on, the server judges them
  evalTouched: false,
  invalid: new Map(),
  runId: null,
  run: null,
  readOnly: false,
  socket: null,
  own: new Set(),
  runs: [],
  selected: new Set(),
  details: new Map(),
  bigramDev: new Map(),
  ngramSeq: 0,
  sweepKey: '',
  fresh: null,
};

let params;
let lossChart;
let kplot;
let scatter;
let heatmap;

// ---------------------------------------------------------------- errors

function showError(msg) {
  $('global-error-text').textContent = msg;
  $('global-error').hidden = false;
}

function clearError() {
  $('global-error').hidden = true;
}

/** Puts a server error next to the control it names, or near the Train button. */
function showFieldError(e, fallbackId = 'err-config') {
  const field = e instanceof ApiError ? e.field : null;
  const msg = e.message || String(e);
  if (field && params.rows.has(field) && !params.rows.get(field).row.hidden) {
    params.setError(field, msg);
  } else if (field === 'dataset' || field === 'file') {
    $('err-dataset').textContent = msg;
  } else {
    $(fallbackId).textContent = (e.status ? `${e.status}: ` : '') + msg;
  }
}

// ---------------------------------------------------------------- controls

function applyModel(model, values) {
  S.model = model;
  S.values = values;
  for (const b of $('model').querySelectorAll('button')) {
    b.setAttribute('aria-checked', String(b.dataset.model === model));
  }
  $('model-note').textContent = MODEL_NOTES[model];
  params.setModel(model, S.values);
  const ngram = model === 'ngram';
  $('ngram-view').hidden = !ngram;
  $('train-view').hidden = ngram;
  $('train').textContent = ngram ? 'Save as run' : 'Train';
  if (ngram) scoreNgram(true);
  else lossChart.update();
  updateTrainButton();
}

function setModel(model) {
  if (model === S.model) return;
  const keep = { seed: S.values.seed ?? 42, temperature: S.values.temperature ?? 1 };
  S.evalTouched = false;
  S.extra = {};
  for (const k of [...S.invalid.keys()]) params.setError(k, null);
  applyModel(model, { ...MODEL_DEFAULTS[model], ...keep });
}

function onParam(key, value, source) {
  S.values[key] = value;
  $('err-config').textContent = '';
  if (key === 'evalEvery') S.evalTouched = true;
  if (key === 'steps' && !S.evalTouched) {
    const ev = Math.max(1, Math.round(value / 20));
    S.values.evalEvery = ev;
    params.set('evalEvery', ev);
  }
  if (key === 'schedule') params.refresh();
  if (S.model === 'ngram' && (key === 'smoothing' || key === 'context')) scoreNgram(key === 'context');
  if (key === 'lr' && source !== 'load') sendLiveLr(value);
}

function onInvalid(key, msg) {
  if (msg) S.invalid.set(key, msg);
  else S.invalid.delete(key);
  updateTrainButton();
}

function visibleInvalid() {
  const keys = new Set(params.visibleKeys());
  return [...S.invalid.entries()].filter(([k]) => keys.has(k));
}

function updateTrainButton() {
  const bad = visibleInvalid();
  $('train').disabled = bad.length > 0 || S.readOnly;
  $('train-note').textContent = bad.length ? `fix ${bad.map(([k]) => params.rows.get(k).p.label).join(', ')} first` : '';
}

/** The run config this page would send: the model's fields only, plus whatever a re-run link carried. */
function currentConfig() {
  const cfg = { dataset: S.dataset, model: S.model };
  for (const key of params.relevantKeys(S.model)) {
    if (S.values[key] != null) cfg[key] = S.values[key];
  }
  if (S.model !== 'ngram') cfg.sampleEvery = cfg.evalEvery;
  return { ...cfg, ...S.extra };
}

function loadConfig(cfg, { readOnly }) {
  S.extra = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (!KNOWN.has(k)) S.extra[k] = v;
  }
  const model = ['ngram', 'neural', 'mlp'].includes(cfg.model) ? cfg.model : 'mlp';
  if (cfg.dataset) selectDataset(cfg.dataset, { quiet: true });
  const values = { ...MODEL_DEFAULTS[model], seed: 42 };
  const bad = [];
  for (const p of PARAMS) {
    if (cfg[p.key] == null) continue;
    if (p.choices) {
      values[p.key] = cfg[p.key];
      continue;
    }
    const r = parseTyped(p, model, cfg[p.key]);
    if (r.error) bad.push([p.key, r.error, cfg[p.key]]);
    else values[p.key] = r.value;
  }
  S.evalTouched = cfg.evalEvery != null;
  for (const k of [...S.invalid.keys()]) params.setError(k, null);
  S.model = null;
  applyModel(model, values);
  for (const [key, msg, raw] of bad) {
    params.rows.get(key).box.value = String(raw);
    params.setError(key, msg);
  }
  setReadOnly(readOnly);
}

function setReadOnly(ro) {
  S.readOnly = ro;
  $('controls').disabled = ro;
  updateTrainButton();
  updateRunButtons();
}

let lrTimer = null;

function sendLiveLr(lr) {
  if (!S.run || S.readOnly || !S.own.has(S.runId) || S.run.status !== 'running' || !S.socket) return;
  clearTimeout(lrTimer);
  lrTimer = setTimeout(() => {
    if (S.socket.send({ type: 'set', lr })) $('train-note').textContent = `lr → ${fmtNum(lr)} sent to the running run`;
  }, 150);
}

// ---------------------------------------------------------------- datasets

async function loadDatasets(selectId) {
  try {
    S.datasets = await api.datasets();
  } catch (e) {
    $('err-dataset').textContent = e.message;
    return;
  }
  const sel = clear($('dataset'));
  for (const d of S.datasets) {
    sel.append(el('option', { value: d.id }, `${d.name} · ${fmtInt(d.items)} items`));
  }
  selectDataset(selectId || S.dataset, { quiet: true });
  refreshRefs();
}

function datasetInfo(id) {
  return S.datasets.find((d) => d.id === id);
}

function selectDataset(id, { quiet } = {}) {
  S.dataset = id;
  const sel = $('dataset');
  if ([...sel.options].some((o) => o.value === id)) sel.value = id;
  $('err-dataset').textContent = '';
  if (!quiet && S.model === 'ngram') scoreNgram(true);
  refreshRefs();
}

async function upload(file) {
  $('err-dataset').textContent = '';
  $('upload-info').hidden = true;
  try {
    const info = await api.upload(file);
    await loadDatasets(info.id);
    S.dataset = info.id;
    $('upload-summary').textContent = `${info.name}: ${fmtInt(info.items)} items, ${info.characters} distinct characters. First lines:`;
    const ol = clear($('upload-preview'));
    const text = await file.slice(0, 64 * 1024).text();
    for (const line of text.split(/\r\n|\n|\r/).map((l) => l.trim()).filter(Boolean).slice(0, 6)) {
      ol.append(el('li', {}, line));
    }
    $('upload-info').hidden = false;
    if (S.model === 'ngram') scoreNgram(true);
  } catch (e) {
    $('err-dataset').textContent = `${file.name}: ${e.message}`;
  } finally {
    $('upload-file').value = '';
  }
}

// ---------------------------------------------------------------- count n-gram explorer

const scoreNgramSoon = debounce((reset) => scoreNgramNow(reset), 40);

function scoreNgram(reset) {
  scoreNgramSoon(reset);
}

async function scoreNgramNow(reset) {
  if (S.model !== 'ngram' || S.invalid.has('smoothing') || S.invalid.has('context')) return;
  const k = S.values.smoothing ?? 1;
  const ctx = S.values.context ?? 1;
  const seq = ++S.ngramSeq;
  const key = `${S.dataset}|${ctx}`;
  if (reset || key !== S.sweepKey) kplot.reset();
  let r;
  try {
    r = await api.ngram(S.dataset, ctx, k);
  } catch (e) {
    if (seq === S.ngramSeq) showFieldError(e);
    return;
  }
  if (seq !== S.ngramSeq) return; // a newer move has been answered or is on its way
  $('ngram-dev').textContent = fmtLoss(r.dev);
  $('ngram-train').textContent = fmtLoss(r.train);
  $('ngram-k').textContent = fmtNum(k);
  $('ngram-uniform').textContent = Math.log(r.vocab.length).toFixed(4);
  $('ngram-note').textContent = `${ctx === 1 ? 'bigram' : ctx + 1 + '-gram'} on ${datasetInfo(S.dataset)?.name || S.dataset}` +
    (num(r.dev) === Infinity ? ' · dev NLL is infinite: a pair unseen in train gets probability 0, raise k' : '');
  renderSamples($('ngram-samples'), r.samples, $('ngram-novelty'), '');
  kplot.add(k, num(r.train), num(r.dev), true);
  kplot.setCurrent(k);
  const hasMatrix = Array.isArray(r.counts) && r.counts.length > 0;
  $('heat-empty').hidden = hasMatrix;
  heatmap.set(hasMatrix ? r.vocab : [], hasMatrix ? r.counts : [], k);
  if (key !== S.sweepKey) {
    S.sweepKey = key;
    sweep(key, ctx);
  }
}

/** Fills the k plot with a coarse sweep so the curve is there before anyone explores. */
async function sweep(key, ctx) {
  for (const k of K_SWEEP) {
    if (S.sweepKey !== key || S.model !== 'ngram') return;
    try {
      const r = await api.ngram(S.dataset, ctx, k);
      if (S.sweepKey === key) kplot.add(k, num(r.train), num(r.dev), false);
    } catch (e) {
      return;
    }
  }
}

// ---------------------------------------------------------------- runs: open, stream, render

function normalizeRun(r) {
  r.progress = (r.progress || []).map((p) => ({ step: p.step, trainLoss: num(p.trainLoss), lr: num(p.lr) }));
  r.evals = (r.evals || []).map((e) => ({ step: e.step, split: e.split, loss: num(e.loss) }));
  r.lrChanges = (r.lrChanges || []).map((c) => ({ step: c.step, lr: num(c.lr) }));
  r.bestDev = num(r.bestDev);
  return r;
}

function openRun(id, readOnly) {
  if (S.socket) S.socket.close();
  S.runId = id;
  S.run = null;
  S.fresh = null;
  clear($('probe-out'));
  $('probe-nll').textContent = '';
  $('err-probe').textContent = '';
  $('test-warn').hidden = true;
  $('share-box').hidden = true;
  S.socket = new RunSocket(id, onMessage, (why) => {
    showError(`Cannot open run ${id}: ${why}`);
    S.runId = null;
    renderRun();
  });
  S.pendingReadOnly = readOnly;
  renderRunList();
  renderRun();
}

function onMessage(m) {
  const r = S.run;
  switch (m.type) {
    case 'snapshot': {
      const first = !S.run;
      S.run = normalizeRun(m.run);
      if (first) {
        const own = S.own.has(S.run.id);
        if (!own) loadConfig(S.run.config, { readOnly: S.pendingReadOnly });
        showModeBanner();
      }
      scatter.set(S.run.embedding ? S.run.embedding.points : []);
      refreshRefs();
      break;
    }
    case 'progress':
      if (!r) return;
      for (const p of m.points) r.progress.push({ step: p.step, trainLoss: num(p.trainLoss), lr: num(p.lr) });
      r.step = Math.max(r.step, m.step);
      r.stepsPerSec = num(m.stepsPerSec);
      break;
    case 'eval': {
      if (!r) return;
      const loss = num(m.loss);
      r.evals.push({ step: m.step, split: m.split, loss });
      if (m.split === 'dev' && Number.isFinite(loss) && (r.bestDev == null || loss < r.bestDev)) r.bestDev = loss;
      r.step = Math.max(r.step, m.step);
      break;
    }
    case 'samples':
      if (!r) return;
      r.samples = { step: m.step, names: m.names };
      S.fresh = null;
      break;
    case 'embedding':
      if (!r) return;
      r.embedding = { step: m.step, points: m.points };
      scatter.set(m.points);
      break;
    case 'lr':
      if (!r) return;
      r.lrChanges.push({ step: m.step, lr: num(m.lr) });
      break;
    case 'status':
      if (!r) return;
      r.status = m.status;
      r.message = m.message;
      r.step = Math.max(r.step, m.step || 0);
      refreshRuns();
      break;
    case 'error':
      showError(m.error);
      break;
    default:
      break;
  }
  scheduleRender();
}

const scheduleRender = frameThrottle(() => renderRun());

function renderRun() {
  const r = S.run;
  const status = r ? r.status : S.runId ? 'connecting' : 'idle';
  $('run-status').textContent = status;
  $('run-status').dataset.status = status;
  $('run-id').textContent = r ? `${r.id} · ${r.config.model} · ${datasetInfo(r.config.dataset)?.name || r.config.dataset}` : '';
  const steps = r ? r.config.steps || 0 : 0;
  const step = r ? r.step : 0;
  $('run-progress').style.width = r ? `${steps > 0 ? Math.min(100, (100 * step) / steps) : TERMINAL.includes(status) ? 100 : 0}%` : '0%';
  $('run-step').textContent = r ? `step ${fmtInt(step)} / ${fmtInt(steps)}` : 'step —';
  const rate = r ? num(r.stepsPerSec) : null;
  $('run-rate').textContent = rate ? `${rate >= 100 ? fmtInt(rate) : rate.toFixed(1)} steps/s` : '— steps/s';
  $('run-eta').textContent = r && status === 'running' && rate ? `ETA ${fmtDuration((steps - step) / rate)}` : r && TERMINAL.includes(status) ? 'done' : 'ETA —';
  const last = r ? [...r.evals].reverse().find((e) => e.split === 'dev') : null;
  $('run-dev').textContent = last ? `dev ${fmtLoss(last.loss)}` : 'dev —';
  $('run-dev').title = r && r.bestDev != null ? `latest dev NLL; best ${fmtLoss(r.bestDev)}` : 'latest dev NLL';

  const msg = $('run-message');
  if (r && r.message && (TERMINAL.includes(status) || status === 'queued')) {
    msg.hidden = false;
    msg.textContent = `Run ${r.id} ${status}: ${r.message}`;
    msg.className = `notice ${['diverged', 'failed', 'interrupted'].includes(status) ? 'error' : 'info'}`;
  } else {
    msg.hidden = true;
  }

  lossChart.setRun(r);
  $('loss-chart').dataset.devPoints = r ? String(r.evals.filter((e) => e.split === 'dev').length) : '0';
  $('loss-chart').dataset.lrChanges = r ? String(r.lrChanges.length) : '0';
  const emptyNote = r && r.config.model !== 'mlp' ? `the ${r.config.model === 'ngram' ? 'count' : 'neural'} n-gram has no character embedding (MLP only)`
    : 'the MLP\u2019s character embedding appears at the first evaluation';
  if (scatter.empty !== emptyNote) {
    scatter.empty = emptyNote;
    if (!scatter.points.length) scatter.render(1);
  }
  $('loss-empty').hidden = !!(r && (r.progress.length || r.evals.length)) || S.overlays?.length > 0;
  lossChart.update();

  const samples = S.fresh || (r && r.samples);
  if (samples) {
    renderSamples($('samples'), samples.names, $('samples-note'),
      S.fresh ? `fresh, T=${fmtNum(S.fresh.temperature)} · ` : `step ${fmtInt(samples.step)} · `);
  } else {
    clear($('samples'));
    $('samples-note').textContent = r ? 'samples arrive at each evaluation' : '';
  }
  const emb = r && r.embedding;
  $('emb-note').textContent = emb ? `${emb.points.length} characters · step ${fmtInt(emb.step)}${r.config.embDim > 2 ? ' · PCA of ' + r.config.embDim + ' dims' : ''}` : '';
  renderTest();
  updateRunButtons();
  renderRunList();
}

function renderSamples(list, names, note, prefix) {
  clear(list);
  let fresh = 0;
  for (const s of names || []) {
    const isNew = s.seen == null;
    if (isNew) fresh++;
    const li = el('li', { class: isNew ? 'new' : 'seen' });
    li.append(s.text === '' ? el('span', { class: 'text muted', title: 'the model ended the word at once' }, '(empty)') : el('span', { class: 'text' }, s.text), el('span', { class: 'tag', title: isNew ? 'not in the dataset' : `already in the ${s.seen} split` }, isNew ? 'new' : s.seen));
    list.append(li);
  }
  const n = (names || []).length;
  note.textContent = n ? `${prefix}${fresh}/${n} new (${Math.round((100 * fresh) / n)}% novel)` : prefix;
  note.dataset.novelty = n ? String(fresh / n) : '';
}

function updateRunButtons() {
  const r = S.run;
  const live = r && ['queued', 'running'].includes(r.status);
  $('stop').disabled = !live || S.readOnly || !S.own.has(S.runId);
  $('copy-link').disabled = !S.runId;
  $('more-samples').disabled = !r;
  $('probe-btn').disabled = !r;
}

function showModeBanner() {
  const banner = $('mode-banner');
  const actions = clear($('mode-actions'));
  if (S.readOnly && S.run) {
    $('mode-text').textContent = `Viewing run ${S.run.id} read-only. Its config is shown on the left.`;
    actions.append(el('button', { type: 'button', class: 'small', onclick: () => {
      setReadOnly(false);
      banner.hidden = true;
      history.replaceState(null, '', '#/');
    } }, 'Edit a copy'));
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}

// ---------------------------------------------------------------- reference lines

async function refreshRefs() {
  const id = S.run ? S.run.config.dataset : S.dataset;
  const info = datasetInfo(id);
  const refs = [];
  if (info) refs.push({ label: `uniform ln ${info.characters + 1}`, value: Math.log(info.characters + 1) });
  if (!S.bigramDev.has(id)) {
    S.bigramDev.set(id, null);
    try {
      const r = await api.ngram(id, 1, 1);
      S.bigramDev.set(id, num(r.dev));
    } catch (e) {
      S.bigramDev.delete(id);
    }
  }
  const b = S.bigramDev.get(id);
  if (b != null) refs.push({ label: 'count bigram dev (k=1)', value: b, color: '#0ca678' });
  lossChart.setRefs(refs);
  lossChart.update();
}

// ---------------------------------------------------------------- run list, compare, export

async function refreshRuns() {
  try {
    S.runs = await api.runs();
  } catch (e) {
    return;
  }
  S.runs.sort((a, b) => String(b.created).localeCompare(String(a.created)));
  const ids = new Set(S.runs.map((r) => r.id));
  for (const id of [...S.selected]) if (!ids.has(id)) S.selected.delete(id);
  renderRunList();
  refreshCompare();
}

function renderRunList() {
  const tbody = clear($('runs'));
  for (const r of S.runs) {
    const live = S.run && S.run.id === r.id ? S.run : null;
    const status = live ? live.status : r.status;
    const step = live ? live.step : r.step;
    const best = live ? live.bestDev : num(r.bestDev);
    const tr = el('tr', { class: r.id === S.runId ? 'active' : '', dataset: { id: r.id }, title: r.message || '' });
    const box = el('input', { type: 'checkbox', 'aria-label': `select run ${r.id}` });
    box.checked = S.selected.has(r.id);
    box.addEventListener('click', (e) => e.stopPropagation());
    box.addEventListener('change', () => {
      if (box.checked) S.selected.add(r.id);
      else S.selected.delete(r.id);
      refreshCompare();
      updateSelectionButtons();
    });
    const name = el('td', { class: 'mono' });
    const ds = r.dataset === 'names' ? 'names' : datasetInfo(r.dataset)?.name || r.dataset;
    name.append(el('div', {}, r.id), el('div', { class: 'muted tiny', title: ds }, `${fmtTime(r.created)} · ${ds}`));
    const st = el('td');
    st.append(el('span', { class: 'pill small', dataset: { status } }, status));
    tr.append(el('td', {}, null), name, el('td', {}, r.model), st, el('td', { class: 'num' }, fmtInt(step)), el('td', { class: 'num strong' }, best == null ? '—' : fmtLoss(best)));
    tr.firstChild.append(box);
    tr.addEventListener('click', () => {
      location.hash = `#/runs/${r.id}`;
    });
    tbody.append(tr);
  }
  $('runs-count').textContent = S.runs.length ? `${S.runs.length} stored` : 'none yet';
  updateSelectionButtons();
}

function updateSelectionButtons() {
  const n = exportIds().length;
  $('export-csv').disabled = n === 0;
  $('export-json').disabled = n === 0;
  $('delete-runs').disabled = S.selected.size === 0;
  $('export-csv').title = $('export-json').title = S.selected.size ? `export ${S.selected.size} selected runs` : 'export the open run (tick runs to export several)';
}

function exportIds() {
  if (S.selected.size) return [...S.selected];
  return S.runId ? [S.runId] : [];
}

function download(format) {
  const ids = exportIds();
  if (!ids.length) return;
  const a = el('a', { href: api.exportUrl(ids, format), download: '' });
  document.body.append(a);
  a.click();
  a.remove();
}

let deleteArmed = null;

async function deleteSelected() {
  const btn = $('delete-runs');
  if (!deleteArmed) {
    btn.textContent = `Delete ${S.selected.size}? click again`;
    deleteArmed = setTimeout(() => {
      deleteArmed = null;
      btn.textContent = 'Delete';
    }, 3000);
    return;
  }
  clearTimeout(deleteArmed);
  deleteArmed = null;
  btn.textContent = 'Delete';
  for (const id of [...S.selected]) {
    try {
      await api.remove(id);
      S.selected.delete(id);
      S.details.delete(id);
      if (id === S.runId) {
        if (S.socket) S.socket.close();
        S.socket = null;
        S.runId = null;
        S.run = null;
        history.replaceState(null, '', '#/');
      }
    } catch (e) {
      showError(`Cannot delete ${id}: ${e.message}`);
    }
  }
  await refreshRuns();
  renderRun();
}

async function details(id) {
  const cached = S.details.get(id);
  if (cached && TERMINAL.includes(cached.status)) return cached;
  const r = normalizeRun(await api.run(id));
  S.details.set(id, r);
  return r;
}

async function refreshCompare() {
  const ids = [...S.selected];
  const runs = [];
  for (const id of ids) {
    try {
      runs.push(await details(id));
    } catch (e) {
      // deleted meanwhile
    }
  }
  S.overlays = runs.filter((r) => r.id !== S.runId).map((r) => ({
    id: r.id, label: r.id.slice(0, 5), evals: r.evals.filter((e) => e.split === 'dev'),
  }));
  lossChart.setOverlays(S.overlays);
  renderRun();
  const table = clear($('compare-table'));
  $('compare-panel').hidden = runs.length < 2;
  if (runs.length < 2) return;
  const head = el('tr');
  head.append(el('th', {}, ''));
  runs.forEach((r, i) => {
    const th = el('th', { class: 'mono' });
    const overlay = S.overlays.findIndex((o) => o.id === r.id);
    th.append(el('span', { class: 'swatch', style: overlay >= 0 ? `background:${['#0ca678', '#d6336c', '#5f3dc4', '#f08c00', '#1098ad', '#495057', '#74b816'][overlay % 7]}` : 'background:#e8590c' }), document.createTextNode(r.id));
    head.append(th);
  });
  table.append(el('thead', {}, null));
  table.firstChild.append(head);
  const body = el('tbody');
  const keys = ['model', 'dataset', ...PARAMS.map((p) => p.key)].filter((k) => runs.some((r) => r.config[k] != null));
  const rows = [
    ['status', (r) => r.status],
    ['steps done', (r) => fmtInt(r.step)],
    ['best dev', (r) => fmtLoss(r.bestDev)],
    ['test', (r) => (r.test ? fmtLoss(r.test.loss) : '—')],
    ...keys.map((k) => [k, (r) => {
      const v = r.config[k];
      if (k === 'dataset') return datasetInfo(v)?.name || v;
      return typeof v === 'number' ? fmtNum(v) : v == null ? '—' : String(v);
    }]),
  ];
  for (const [label, get] of rows) {
    const vals = runs.map(get);
    const differ = new Set(vals).size > 1;
    const tr = el('tr', { class: differ ? 'diff' : '' });
    tr.append(el('th', {}, label));
    for (const v of vals) tr.append(el('td', { class: 'mono' }, v));
    body.append(tr);
  }
  table.append(body);
}

// ---------------------------------------------------------------- test score, samples, probe

function renderTest() {
  const r = S.run;
  $('test-box').hidden = !r;
  if (!r) return;
  if (r.test) {
    $('test-result').textContent = `test NLL ${fmtLoss(r.test.loss)} · scored ${fmtTime(r.test.scoredAt)}`;
    $('test-result').className = 'strong';
  } else {
    $('test-result').textContent = 'not scored yet';
    $('test-result').className = 'muted';
  }
  $('test-btn').hidden = !!r.test || S.readOnly;
  $('test-btn').disabled = !TERMINAL.includes(r.status);
  $('test-btn').title = TERMINAL.includes(r.status) ? '' : 'available once the run has ended';
}

async function scoreTest() {
  $('test-warn').hidden = true;
  try {
    const t = await api.test(S.runId);
    S.run.test = { loss: num(t.loss), scoredAt: t.scoredAt };
    renderTest();
    if (t.alreadyScored) $('test-result').textContent += ' (already scored before: this is the stored value)';
    refreshRuns();
  } catch (e) {
    showError(`Test score: ${e.message}`);
  }
}

async function moreSamples() {
  const temperature = S.values.temperature ?? 1;
  try {
    const r = await api.samples(S.runId, 20, temperature, Math.floor(Math.random() * 1e9));
    S.fresh = { step: S.run.step, names: r.names, temperature };
    renderRun();
  } catch (e) {
    showFieldError(e, 'samples-note');
  }
}

async function probe(ev) {
  ev.preventDefault();
  const word = $('probe-word').value.trim();
  $('err-probe').textContent = '';
  if (!S.runId || !word) {
    $('err-probe').textContent = word ? 'open a run first' : 'type a word';
    return;
  }
  try {
    const r = await api.probe(S.runId, word);
    const out = clear($('probe-out'));
    for (const c of r.chars) {
      const p = num(c.p);
      const cell = el('div', { class: 'pc', title: `P(${c.ch}) = ${p.toFixed(4)}, −ln p = ${(-Math.log(p)).toFixed(3)}` });
      const bar = el('div', { class: 'bar' });
      bar.append(el('div', { class: 'fill', style: `height:${Math.max(2, Math.round(p * 100))}%` }));
      cell.append(bar, el('div', { class: 'ch mono' }, c.ch), el('div', { class: 'p' }, p >= 0.01 ? p.toFixed(2) : p.toExponential(0)));
      out.append(cell);
    }
    $('probe-nll').textContent = `NLL ${fmtLoss(r.nll)} per character`;
  } catch (e) {
    $('err-probe').textContent = e.message;
  }
}

// ---------------------------------------------------------------- train / stop

async function train() {
  $('err-config').textContent = '';
  clearError();
  const bad = visibleInvalid();
  if (bad.length) {
    $('err-config').textContent = 'Fix the highlighted values first: nothing was sent.';
    return;
  }
  const cfg = currentConfig();
  $('train').disabled = true;
  try {
    const { id } = await api.create(cfg);
    S.own.add(id);
    S.extra = {};
    $('mode-banner').hidden = true;
    location.hash = `#/runs/${id}`;
    refreshRuns();
  } catch (e) {
    showFieldError(e);
  } finally {
    updateTrainButton();
  }
}

async function stop() {
  try {
    await api.stop(S.runId);
  } catch (e) {
    showError(`Stop: ${e.message}`);
  }
}

// ---------------------------------------------------------------- links

async function share(url, label) {
  $('share-box').hidden = false;
  $('share-label').textContent = label;
  $('share-url').value = url;
  $('share-url').select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch (e) {
    copied = false;
  }
  $('share-note').textContent = copied ? 'copied to the clipboard' : 'select and copy (the browser did not allow clipboard access)';
}

function rerunUrl() {
  const cfg = S.run && S.readOnly ? S.run.config : currentConfig();
  return `${location.origin}/#/new?config=${encodeURIComponent(JSON.stringify(cfg))}`;
}

// ---------------------------------------------------------------- routing

function route() {
  const h = location.hash || '#/';
  const m = h.match(/^#\/runs\/([A-Za-z0-9_-]+)$/);
  if (m) {
    if (m[1] !== S.runId) openRun(m[1], !S.own.has(m[1]));
    return;
  }
  const n = h.match(/^#\/new\?config=(.*)$/);
  if (n) {
    let cfg;
    try {
      cfg = JSON.parse(decodeURIComponent(n[1]));
      if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) throw new Error('not an object');
    } catch (e) {
      showError('This re-run link does not carry a readable config.');
      return;
    }
    loadConfig(cfg, { readOnly: false });
    $('mode-text').textContent = `Re-run link: its config (seed ${cfg.seed ?? 42}) is loaded on the left. Training it gives the same curves as the original.`;
    const actions = clear($('mode-actions'));
    actions.append(el('button', { type: 'button', class: 'small primary', id: 'banner-train', onclick: train }, 'Train it'));
    $('mode-banner').hidden = false;
  }
}

// ---------------------------------------------------------------- start

function init() {
  params = buildParams($('params'), { onChange: onParam, onInvalid });
  lossChart = new LossChart($('loss-chart'));
  kplot = new KPlot($('kplot'));
  scatter = new Scatter($('embedding'));
  heatmap = new Heatmap($('heatmap'), $('heat-tip'));
  scatter.render(1);

  for (const b of $('model').querySelectorAll('button')) b.addEventListener('click', () => setModel(b.dataset.model));
  $('dataset').addEventListener('change', () => selectDataset($('dataset').value));
  $('upload-btn').addEventListener('click', () => $('upload-file').click());
  $('upload-file').addEventListener('change', () => $('upload-file').files[0] && upload($('upload-file').files[0]));
  $('train').addEventListener('click', train);
  $('stop').addEventListener('click', stop);
  $('ema').addEventListener('input', () => {
    lossChart.beta = Number($('ema').value);
    $('ema-val').textContent = lossChart.beta.toFixed(2);
    lossChart.update();
  });
  $('logy').addEventListener('change', () => {
    lossChart.logY = $('logy').checked;
    lossChart.update();
  });
  for (const b of $('heat-mode').querySelectorAll('button')) {
    b.addEventListener('click', () => {
      heatmap.mode = b.dataset.mode;
      for (const o of $('heat-mode').querySelectorAll('button')) o.setAttribute('aria-pressed', String(o === b));
      heatmap.draw();
    });
  }
  $('copy-link').addEventListener('click', () => share(`${location.origin}/#/runs/${S.runId}`, 'Run link (opens read-only)'));
  $('copy-rerun').addEventListener('click', () => share(rerunUrl(), 'Re-run link (config + seed)'));
  $('global-error-close').addEventListener('click', clearError);
  $('export-csv').addEventListener('click', () => download('csv'));
  $('export-json').addEventListener('click', () => download('json'));
  $('delete-runs').addEventListener('click', deleteSelected);
  $('test-btn').addEventListener('click', () => ($('test-warn').hidden = false));
  $('test-cancel').addEventListener('click', () => ($('test-warn').hidden = true));
  $('test-confirm').addEventListener('click', scoreTest);
  $('more-samples').addEventListener('click', moreSamples);
  $('probe-form').addEventListener('submit', probe);
  window.addEventListener('hashchange', route);

  applyModel('mlp', S.values);
  loadDatasets('names');
  refreshRuns();
  route();
  setInterval(() => {
    if (S.runs.some((r) => !TERMINAL.includes(r.status)) || (S.run && !TERMINAL.includes(S.run.status))) refreshRuns();
  }, 2500);
}

init();
