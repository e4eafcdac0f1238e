// What the panels share: the event bus, the state every panel reads (the server's models and limits, the
// datasets, the run list, the open run, the new-run form, the route) and the router. Panels talk only through
// here: none imports another or touches another's DOM. Each piece of state has one owner, which writes it through
// a function below; the others read it and ask the owner for a change with an event.
//
// Events, each with its payload: what it says (who emits -> who listens). PageModulesTest (e2e) checks this list
// against every bus.emit and bus.on call under frontend/js: an event missing here fails the build.
//   'route' {name, ...params}: the URL names a view; also in store.route (state.js -> most panels, live.js)
//   'view' name: the center view now on show, e.g. 'run', 'ngram', 'sweeps' (main.js -> ngram)
//   'datasets' [dataset]: store.datasets was reloaded (reloadDatasets -> controls, ngram, run-view, runs)
//   'runs' [run]: store.runs was reloaded, newest first: the runs the list has loaded (its pages, opened sweeps)
//       and every queued or running run, not all stored runs (setRuns, by runs.js -> runs, runbar, sweep-view)
//   'runs:refresh' (none): a run was created, changed or deleted, so the list is stale (anyone, live.js on the
//       server's list feed -> runs)
//   'sweeps:refresh' (none): the sweep list is stale (live.js on the server's list feed -> sweeps, runs)
//   'run' record|null: the open run's record (store.run) changed; null when none is open (live.js -> run panels,
//       controls, lr-finder, health)
//   'run:stored' {id, name?, note?, test?}: the server stored these fields of run id; the open run's record takes
//       them (run-view, run-tools -> live.js)
//   'form' {key, source, how}: the new-run form (store.form, currentConfig()) changed; key: the field, 'dataset',
//       or null for all of it; source: 'user' or 'load'; how: 'slider', 'typed', 'select', 'check' or 'set'
//       (setForm, by controls -> main, ngram, sweeps, lr-finder)
//   'form:set' {name, value}: set one control of the form as if the user had (lr-finder -> controls)
//   'form:load' {config, origin}: load a whole config into the form (sweeps -> controls)
//   'form:dataset' id: select this dataset in the form (notices -> controls)
//   'form:train' (none): train what the form holds (notices -> controls)
//   'error' message: show an error under the bar (anyone -> notices)
//   'notice' {text, kind}: a passing remark (lr-finder, sweep-view; no panel shows these yet)

import { api } from './api.js';
import { shown } from './fields.js';

const handlers = new Map();

export const bus = {
  on(event, fn) {
    if (!handlers.has(event)) handlers.set(event, []);
    handlers.get(event).push(fn);
  },
  emit(event, data) {
    for (const fn of handlers.get(event) || []) {
      try {
        fn(data);
      } catch (e) {
        console.error(`handler of '${event}' failed`, e); // one broken panel must not silence the others
      }
    }
  },
};

export const TERMINAL = ['finished', 'stopped', 'diverged', 'failed', 'interrupted', 'pruned'];

export const store = {
  models: [], // GET /api/models: [{name, title, help, trainable, fields: [FieldSpec]}]
  limits: {}, // GET /api/limits: the bounds the server holds configs and requests to (config/Limits.java)
  datasets: [], // GET /api/datasets
  runs: [], // what the run list loaded (pages of GET /api/runs) and the live runs, newest first (panels/runs.js)
  route: { name: 'new' },
  run: null, // the open run's record, live while it trains (live.js)
  // the new-run form (panels/controls.js): the model's field values, and what a re-run link carried beyond them
  form: { dataset: 'names', model: 'mlp', values: {}, extra: {}, invalid: false },
};

/** Start-up: every control and every check on the page is built from these two answers. */
export async function loadModelsAndLimits() {
  const [models, limits] = await Promise.all([api.models(), api.limits()]);
  store.models = models;
  store.limits = limits;
}

/** Throws when the server cannot list them; the caller says so where the user looks. */
export async function reloadDatasets() {
  store.datasets = await api.datasets();
  bus.emit('datasets', store.datasets);
}

export function setRuns(list) {
  store.runs = [...list].sort((a, b) => String(b.created).localeCompare(String(a.created)));
  bus.emit('runs', store.runs);
}

/** live.js's alone: it announces 'run' at most once a frame, so this does not. */
export function setOpenRun(r) {
  store.run = r;
}

export function model(name) {
  return store.models.find((m) => m.name === name) || null;
}

export function field(modelName, name) {
  return model(modelName)?.fields.find((f) => f.name === name) || null;
}

export function fieldDefaults(modelName) {
  const v = {};
  for (const f of model(modelName)?.fields || []) v[f.name] = f.default;
  return v;
}

export function datasetInfo(id) {
  return store.datasets.find((d) => d.id === id) || null;
}

export function datasetName(id) {
  return id === 'names' ? 'names' : datasetInfo(id)?.name || id;
}

/** A run's display name: its own name, else its id. */
export function runLabel(r) {
  return (r && r.name) || (r && r.id) || '';
}

// ---------------------------------------------------------------- the new-run form

/** The config the form would send: the model's shown fields, plus what a re-run link carried beyond them. */
export function currentConfig() {
  const { dataset, model: name, values, extra } = store.form;
  const cfg = { dataset, model: name };
  for (const f of model(name)?.fields || []) {
    if (shown(f, values) && values[f.name] != null) cfg[f.name] = values[f.name];
  }
  return { ...cfg, ...extra };
}

/**
 * Changes the form: panels/controls.js alone calls this (the others ask it with 'form:*' events), replacing the
 * keys of `patch`; with `change` ({key, source, how}) the change is announced as 'form'.
 */
export function setForm(patch, change) {
  Object.assign(store.form, patch);
  if (change) bus.emit('form', change);
}

// ---------------------------------------------------------------- routing

function textRoute(query) {
  const q = new URLSearchParams(query || '');
  return { ids: (q.get('ids') || '').split(',').map((s) => s.trim()).filter(Boolean), text: q.get('text') || '' };
}

// Each route: a name, a pattern on the part after '#', and how to read its parameters.
const routes = [];

function addRoute(name, pattern, read = () => ({})) {
  routes.push({ name, pattern, read });
}

addRoute('run', /^\/runs\/([A-Za-z0-9_-]+)$/, (m) => ({ id: m[1] }));
addRoute('compare', /^\/compare\?(.*)$/, (m) => ({
  ids: (new URLSearchParams(m[1]).get('ids') || '').split(',').map((s) => s.trim()).filter(Boolean),
}));
// a text under up to 4 runs, its strips stacked (panels/explain-compare.js)
addRoute('explain', /^\/explain(?:\?(.*))?$/, (m) => textRoute(m[1]));
// the next-character explorer: P(next | prefix) under up to 3 runs (panels/next-char.js)
addRoute('next', /^\/next(?:\?(.*))?$/, (m) => textRoute(m[1]));
// one run: each character's influence on a prediction, a transformer's attention maps (panels/inside.js)
addRoute('inside', /^\/inside(?:\?(.*))?$/, (m) => {
  const p = new URLSearchParams(m[1] || '').get('position'); // the prediction explained, kept in a shared link
  return { ...textRoute(m[1]), position: p != null && /^\d{1,3}$/.test(p) ? Number(p) : null };
});
addRoute('new', /^\/new\?(.*)$/, (m) => {
  const q = new URLSearchParams(m[1]);
  return { config: q.get('config'), sha256: q.get('sha256'), dataName: q.get('dataName') };
});
addRoute('new', /^\/?(new)?$/, () => ({}));
addRoute('sweep', /^\/sweeps\/([A-Za-z0-9_-]+)$/, (m) => ({ id: m[1] }));
addRoute('sweeps', /^\/sweeps(?:\?(.*))?$/, (m) => ({ def: new URLSearchParams(m[1] || '').get('def') }));
addRoute('finder', /^\/finder(?:\/([A-Za-z0-9_-]+))?$/, (m) => ({ id: m[1] || null }));
addRoute('smoothing', /^\/smoothing-l2(?:\?(.*))?$/, (m) => {
  const q = new URLSearchParams(m[1] || '');
  return { context: q.get('context'), dataset: q.get('dataset') };
});

// The center views by route name, as element ids: main.js shows one at a time ('new' shows 'run' or 'ngram').
export const views = new Map([['run', 'run-view'], ['compare', 'compare-view'], ['explain', 'explain-view'],
  ['next', 'next-view'], ['inside', 'inside-view'], ['ngram', 'ngram-view'],
  ['sweeps', 'sweeps-view'], ['sweep', 'sweep-view'], ['finder', 'finder-view'], ['smoothing', 'smoothing-view'],
  ['unknown', 'unknown-view']]);

export function parseHash(hash) {
  const h = (hash || '').replace(/^#/, '');
  for (const r of routes) {
    const m = h.match(r.pattern);
    if (m) return { name: r.name, ...r.read(m) };
  }
  return { name: 'unknown', hash: h };
}

/** ids and a text for a link; the ids' commas stay readable. */
function textQuery(ids, text) {
  const q = `ids=${ids.map(encodeURIComponent).join(',')}`;
  return text ? `${q}&text=${encodeURIComponent(text)}` : q;
}

export const links = {
  run: (id) => `#/runs/${encodeURIComponent(id)}`,
  compare: (ids) => `#/compare?ids=${ids.map(encodeURIComponent).join(',')}`,
  explain: (ids, text) => `#/explain?${textQuery(ids, text)}`,
  next: (ids, text) => `#/next?${textQuery(ids, text)}`,
  inside: (ids, text, position) => `#/inside?${textQuery(ids, text)}${position != null ? `&position=${position}` : ''}`,
  /** A re-run link: the full config (lrChanges included) and the dataset's content hash and name. */
  rerun: (config, dataset) => {
    const q = new URLSearchParams({ config: JSON.stringify(config) });
    if (dataset && dataset.sha256) q.set('sha256', dataset.sha256);
    if (dataset && dataset.name) q.set('dataName', dataset.name);
    return `#/new?${q.toString()}`;
  },
  /** The re-run link of a run: its full stored config, its learning-rate changes as a schedule, its data's hash. */
  rerunOf: (r) => {
    const config = { ...r.config };
    if (r.lrChanges && r.lrChanges.length) config.lrChanges = r.lrChanges.map((c) => ({ step: c.step, lr: c.lr }));
    else delete config.lrChanges;
    return links.rerun(config, datasetInfo(r.config.dataset));
  },
  sweeps: () => '#/sweeps',
  sweep: (id) => `#/sweeps/${encodeURIComponent(id)}`,
  /** A sweep's re-run link: its whole definition (base config, params, seeds, pruning). */
  rerunSweep: (definition) => `#/sweeps?${new URLSearchParams({ def: JSON.stringify(definition) })}`,
  finder: (id) => (id ? `#/finder/${encodeURIComponent(id)}` : '#/finder'),
  smoothing: () => '#/smoothing-l2',
};

/** A re-run link's config as {config}, or {error} in words: what a person who followed the link needs to hear. */
export function linkConfig(text) {
  if (!text || !text.trim()) return { error: 'it carries an empty config' };
  let cfg;
  try {
    cfg = JSON.parse(text);
  } catch (e) {
    return { error: `its config is not valid JSON (${e.message}); the link was probably cut short or edited` };
  }
  if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) {
    return { error: `its config must be a JSON object of run settings, not ${Array.isArray(cfg) ? 'a list' : JSON.stringify(cfg)}` };
  }
  return { config: cfg };
}

/** Goes to a view; the browser's history gets an entry, so back/forward return to it. */
export function go(hash, { replace = false } = {}) {
  if (replace) {
    history.replaceState(null, '', hash);
    announce();
  } else if (location.hash === hash) {
    announce();
  } else {
    location.hash = hash;
  }
}

function announce() {
  store.route = parseHash(location.hash);
  bus.emit('route', store.route);
}

export function startRouting() {
  window.addEventListener('hashchange', announce);
  announce();
}
