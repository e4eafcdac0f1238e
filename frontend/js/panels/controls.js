// The new-run form: dataset (and upload), model, and the chosen model's fields, all as the server describes them
// (GET /api/models). Loads the config of the run the route shows, or of a re-run link; Train sends it, and next to
// it the server's estimate of the run's time (or its refusal) follows the form. The form's values live in
// store.form, which this panel alone changes (through setForm); the field rows and their errors are this panel's own.

import { api, ApiError } from '../api.js';
import { bus, store, model, go, links, datasetInfo, currentConfig, setForm, fieldDefaults, reloadDatasets,
  linkConfig } from '../state.js';
import { buildFields, parseValue } from '../fields.js';
import { $, el, clear, fmtInt, frameThrottle } from '../util.js';

const invalid = new Map();
let fields = null;
let loadedRun = null;

function spec() {
  return model(store.form.model);
}

/** Rules across fields the page can state before anything is sent (the server's bound: store.limits). */
function ruleError(name, values) {
  const max = store.limits.maxEvals;
  if (name === 'evalEvery' && values.steps > 0 && values.evalEvery < Math.ceil(values.steps / max)) {
    return `eval every must be at least ${fmtInt(Math.ceil(values.steps / max))} for ${fmtInt(values.steps)} steps (at most ${max} evaluations a run)`;
  }
  return null;
}

function hint(name, values) {
  const max = store.limits.maxEvals;
  if (name === 'evalEvery' && values.steps > 0) {
    const evals = Math.ceil(values.steps / Math.max(1, values.evalEvery || 1));
    const floor = Math.ceil(values.steps / max);
    return `${fmtInt(evals)} evaluation${evals === 1 ? '' : 's'} (at most ${fmtInt(max)} a run${floor > 1 ? `: at least every ${fmtInt(floor)} steps` : ''})`;
  }
  return '';
}

function checkRules() {
  for (const f of spec()?.fields || []) {
    const msg = ruleError(f.name, store.form.values);
    const row = fields.rows.get(f.name);
    if (msg) fields.setError(f.name, msg);
    else if (row && invalid.get(f.name)?.startsWith('eval every must be at least')) fields.setError(f.name, null);
  }
}

function renderModelButtons() {
  const seg = clear($('model'));
  for (const m of store.models) {
    seg.append(el('button', { type: 'button', role: 'radio', dataset: { model: m.name }, 'aria-checked': String(m.name === store.form.model), title: m.help, onclick: () => setModel(m.name, 'user') }, m.title));
  }
  markModel();
}

/** One tab stop for the whole picker (the chosen model); the arrow keys move the choice, as in any radio group. */
function markModel() {
  for (const b of $('model').querySelectorAll('button')) {
    const on = b.dataset.model === store.form.model;
    b.setAttribute('aria-checked', String(on));
    b.tabIndex = on ? 0 : -1;
  }
}

function onModelKey(e) {
  const buttons = [...$('model').querySelectorAll('button')];
  const i = buttons.indexOf(document.activeElement);
  if (i < 0) return;
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
  let j;
  if (step) j = (i + step + buttons.length) % buttons.length;
  else if (e.key === 'Home') j = 0;
  else if (e.key === 'End') j = buttons.length - 1;
  else return;
  e.preventDefault();
  setModel(buttons[j].dataset.model, 'user');
  buttons[j].focus();
}

/** Rebuilds the rows for the form's model and shows its values. */
function rebuild() {
  const s = spec();
  invalid.clear();
  clear($('params'));
  // the hints read the form's values as they are now (each change replaces the values object)
  fields = buildFields($('params'), s ? s.fields : [], { onChange, onInvalid, hint: (name) => hint(name, store.form.values) });
  fields.render(store.form.values);
  markModel();
  $('model-note').textContent = s ? s.help : '';
  $('train').textContent = s && !s.trainable ? 'Save as run' : 'Train';
  checkRules();
  updateTrain();
}

function setModel(m, source) {
  if (m === store.form.model && fields) return;
  const { seed, temperature } = store.form.values;
  const values = fieldDefaults(m);
  for (const [k, v] of Object.entries({ seed, temperature })) if (v != null && k in values) values[k] = v;
  setForm({ model: m, values, extra: {} });
  setOrigin('');
  rebuild();
  announce(null, source);
}

function onChange(name, value, how) {
  setForm({ values: { ...store.form.values, [name]: value } });
  $('err-config').textContent = '';
  if (spec().fields.some((f) => f.showIf && name in f.showIf)) fields.render(store.form.values);
  fields.refreshHints();
  checkRules();
  announce(name, 'user', how);
}

function onInvalid(name, msg) {
  if (msg) invalid.set(name, msg);
  else invalid.delete(name);
  updateTrain();
}

function visibleInvalid() {
  const names = new Set(fields ? fields.visibleNames() : []);
  return [...invalid.entries()].filter(([k]) => names.has(k));
}

function updateTrain() {
  const bad = visibleInvalid();
  setForm({ invalid: bad.length > 0 });
  $('train').disabled = bad.length > 0 || !spec();
  $('train-note').textContent = bad.length ? `fix ${bad.map(([k]) => fields.rows.get(k).f.label).join(', ')} first` : '';
  scheduleEstimate();
}

// Views that read the form (new run, sweep form, LR finder): the form is part of their history entry, so
// back/forward bring it back as it was there, not as the run opened since left it.
const FORM_ROUTES = new Set(['new', 'sweeps', 'finder']);

function keepFormInHistory() {
  if (FORM_ROUTES.has(store.route.name) && fields) {
    history.replaceState({ ...(history.state || {}), form: currentConfig() }, '', location.hash || '#/new');
  }
}

function announce(key, source, how) {
  keepFormInHistory();
  setForm({ invalid: visibleInvalid().length > 0 }, { key: key ?? null, source, how });
  scheduleEstimate();
}

// ---------------------------------------------------------------- the estimate by Train

let estimateTimer = null;
let estimateAsked = 0;

/** After the form settles (a slider drag sends one request, not fifty), asks how long its run would take. */
function scheduleEstimate() {
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(showEstimate, 250);
}

async function showEstimate() {
  const asked = ++estimateAsked;
  const box = $('train-estimate');
  const s = spec();
  // only a config the page finds sound, of a model that trains, on a dataset this lab has: the rest is judged at Train
  if (!s || !s.trainable || visibleInvalid().length || !datasetInfo(store.form.dataset)) {
    box.textContent = '';
    return;
  }
  let text;
  let title = '';
  let over = false;
  try {
    const e = await api.estimate(currentConfig());
    text = e.text;
    title = e.breakdown;
  } catch (e) {
    text = e.message;
    over = true;
  }
  if (asked !== estimateAsked) return; // a later change asked again: its answer is the one to show
  box.textContent = text;
  box.title = title;
  box.classList.toggle('over', over);
}

function setOrigin(text) {
  $('form-origin').textContent = text;
}

/** Puts a config (from a run or a link) into the form; values the spec refuses are shown with their error. */
function load(cfg, origin) {
  const m = model(cfg.model) ? cfg.model : 'mlp';
  const values = fieldDefaults(m);
  const extra = {};
  const s = model(m);
  const bad = [];
  for (const [k, v] of Object.entries(cfg)) {
    if (k === 'dataset' || k === 'model') continue;
    const f = s.fields.find((x) => x.name === k);
    if (!f) {
      extra[k] = v; // lrChanges, or a field this lab does not know: the server judges it
      continue;
    }
    const r = parseValue(f, v);
    if (r.error) bad.push([k, r.error, v]);
    else values[k] = r.value;
  }
  setForm({ model: m, values, extra });
  if (cfg.dataset) selectDataset(cfg.dataset);
  const changes = Array.isArray(extra.lrChanges) ? extra.lrChanges.length : 0;
  setOrigin(origin + (changes ? ` · replays ${changes} learning-rate change${changes > 1 ? 's' : ''}` : ''));
  rebuild();
  for (const [k, msg, raw] of bad) {
    fields.rows.get(k).box.value = String(raw);
    fields.setError(k, msg);
  }
  announce(null, 'load');
}

// ---------------------------------------------------------------- datasets

function renderDatasets() {
  const sel = clear($('dataset'));
  for (const d of store.datasets) sel.append(el('option', { value: d.id }, `${d.name} · ${fmtInt(d.items)} items`));
  const { dataset } = store.form;
  if (!datasetInfo(dataset)) sel.append(el('option', { value: dataset }, `${dataset} (not in this lab)`));
  sel.value = dataset;
}

function selectDataset(id) {
  setForm({ dataset: id });
  renderDatasets();
  $('err-dataset').textContent = '';
}

async function refreshDatasets() {
  try {
    await reloadDatasets(); // 'datasets' redraws the list
  } catch (e) {
    $('err-dataset').textContent = e.message;
  }
}

async function upload(file) {
  $('err-dataset').textContent = '';
  $('upload-info').hidden = true;
  try {
    const info = await api.upload(file);
    await refreshDatasets();
    selectDataset(info.id);
    $('upload-summary').textContent = `${info.name}: ${fmtInt(info.items)} items, ${info.characters} distinct characters. First lines:`;
    const ol = clear($('upload-preview'));
    const text = await file.slice(0, 64 * 1024).text();
    for (const line of text.split(/\r\n|\n|\r/).map((l) => l.trim()).filter(Boolean).slice(0, 6)) ol.append(el('li', {}, line));
    $('upload-info').hidden = false;
    announce('dataset', 'user');
  } catch (e) {
    $('err-dataset').textContent = `${file.name}: ${e.message}`;
  } finally {
    $('upload-file').value = '';
  }
}

// ---------------------------------------------------------------- train

function showServerError(e) {
  const field = e instanceof ApiError ? e.field : null;
  if (field && fields.rows.has(field) && !fields.rows.get(field).row.hidden) fields.setError(field, e.message);
  else if (field === 'dataset' || field === 'file') $('err-dataset').textContent = e.message;
  else $('err-config').textContent = (e.status ? `${e.status}: ` : '') + e.message;
}

async function train() {
  $('err-config').textContent = '';
  if (visibleInvalid().length) {
    $('err-config').textContent = 'Fix the highlighted values first: nothing was sent.';
    return;
  }
  $('train').disabled = true;
  try {
    const { id } = await api.create(currentConfig());
    setForm({ extra: {} });
    setOrigin('');
    bus.emit('runs:refresh');
    go(links.run(id));
  } catch (e) {
    showServerError(e);
  } finally {
    updateTrain();
  }
}

// ---------------------------------------------------------------- fitting the window

/**
 * On a wide screen the form is sticky and scrolls on its own, its Train bar stuck to its bottom. A notice above
 * the layout (a run's message) pushes it down until the page scrolls, so a fixed height would put Train below the
 * window: the panel is sized to the room it has now.
 */
const fitPanel = frameThrottle(() => {
  const p = $('controls-panel');
  const cs = getComputedStyle(p);
  if (cs.position !== 'sticky') {
    p.style.maxHeight = '';
    return;
  }
  const top = Math.max(p.getBoundingClientRect().top, parseFloat(cs.top) || 0);
  p.style.maxHeight = `${Math.max(240, window.innerHeight - top - 12)}px`;
});

// ---------------------------------------------------------------- wiring

/** Resolves once the dataset list is loaded (or its failure shown): a re-run link's dataset is looked up in it. */
export function initControls() {
  setForm({ values: fieldDefaults(store.form.model) });
  renderModelButtons();
  $('model').addEventListener('keydown', onModelKey);
  rebuild();
  renderDatasets();
  bus.on('datasets', () => {
    renderDatasets();
    scheduleEstimate(); // the form's dataset may have just become known
  });
  $('dataset').addEventListener('change', () => {
    selectDataset($('dataset').value);
    announce('dataset', 'user');
  });
  const { datasetMinItems, datasetMaxLineChars, datasetMaxBytes } = store.limits;
  $('upload-btn').title = `One item per line, UTF-8: at least ${datasetMinItems} lines, each at most ${datasetMaxLineChars} characters, ${Math.round(datasetMaxBytes / 1048576)} MB in all`;
  $('upload-btn').addEventListener('click', () => $('upload-file').click());
  $('upload-file').addEventListener('change', () => $('upload-file').files[0] && upload($('upload-file').files[0]));
  $('train').addEventListener('click', train);

  bus.on('route', (route) => {
    if (!FORM_ROUTES.has(route.name)) return;
    const kept = history.state && history.state.form;
    if (kept) {
      loadedRun = null;
      load(kept, '');
      return;
    }
    if (route.name !== 'new' || route.config == null) {
      keepFormInHistory(); // arrived with the form as it is: that is what back brings here
      return;
    }
    const cfg = linkConfig(route.config);
    if (cfg.error) return; // notices.js says what is wrong with the link; the form keeps its values
    loadedRun = null;
    load(cfg.config, 'from a re-run link');
  });
  // the form starts from the run on show (once per run): tweak and train again
  bus.on('run', (r) => {
    if (!r) loadedRun = null; // the next run opened (also the same one again) fills the form
    if (!r || r.id === loadedRun) return;
    loadedRun = r.id;
    const { lrChanges, ...cfg } = r.config; // a tweak is a new run: the exact replay is what re-run links are for
    load(cfg, `from run ${r.name || r.id}`);
  });
  bus.on('form:train', train);
  // another panel sets one control (e.g. the LR finder's "Use this"), as if the user had typed it
  bus.on('form:set', ({ name, value }) => {
    if (!fields || !fields.rows.has(name)) return;
    setForm({ values: { ...store.form.values, [name]: value } });
    fields.setError(name, null);
    fields.render(store.form.values);
    checkRules();
    announce(name, 'user', 'set');
  });
  // another panel loads a whole config (a sweep's re-run link carries its base config)
  bus.on('form:load', ({ config, origin }) => {
    loadedRun = null;
    load(config, origin || '');
  });
  bus.on('form:dataset', (id) => {
    selectDataset(id);
    announce('dataset', 'user');
  });
  window.addEventListener('scroll', fitPanel, { passive: true });
  window.addEventListener('resize', fitPanel);
  new ResizeObserver(fitPanel).observe(document.body); // a notice opening or closing above the form
  fitPanel();
  return refreshDatasets();
}
