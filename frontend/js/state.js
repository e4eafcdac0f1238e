// What the panels share: an event bus, the little state every panel reads (models, datasets, the run list, the
// route), and the router. Panels talk only through here; none touches another panel's DOM.
//
// Events: 'route' {name, ...params} · 'models' · 'datasets' · 'runs' (the list changed) ·
// 'run' (the open run's record changed; null when none) · 'form' {config, model, key, source} (the new-run form) ·
// 'error' message · 'notice' {text, kind}.

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
  datasets: [], // GET /api/datasets
  runs: [], // GET /api/runs, newest first
  route: { name: 'new' },
  run: null, // the open run's record (live while it trains)
};

export function model(name) {
  return store.models.find((m) => m.name === name) || null;
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

// ---------------------------------------------------------------- routing

// Each route: a name, a pattern on the part after '#', and how to read its parameters. Views another module adds
// (sweeps, experiments) register themselves with addRoute before start().
const routes = [];

export function addRoute(name, pattern, read = () => ({})) {
  routes.push({ name, pattern, read });
}

addRoute('run', /^\/runs\/([A-Za-z0-9_-]+)$/, (m) => ({ id: m[1] }));
addRoute('compare', /^\/compare\?(.*)$/, (m) => ({
  ids: (new URLSearchParams(m[1]).get('ids') || '').split(',').map((s) => s.trim()).filter(Boolean),
}));
addRoute('new', /^\/new\?(.*)$/, (m) => {
  const q = new URLSearchParams(m[1]);
  return { config: q.get('config'), sha256: q.get('sha256'), dataName: q.get('dataName') };
});
addRoute('new', /^\/?(new)?$/, () => ({}));

// The center views, by route name: a module that adds a route adds its view here (main.js shows one at a time).
export const views = new Map([['run', 'run-view'], ['compare', 'compare-view'], ['ngram', 'ngram-view'], ['unknown', 'unknown-view']]);

export function addView(name, elementId) {
  views.set(name, elementId);
}

export function parseHash(hash) {
  const h = (hash || '').replace(/^#/, '');
  for (const r of routes) {
    const m = h.match(r.pattern);
    if (m) return { name: r.name, ...r.read(m) };
  }
  return { name: 'unknown', hash: h };
}

export const links = {
  run: (id) => `#/runs/${encodeURIComponent(id)}`,
  compare: (ids) => `#/compare?ids=${ids.map(encodeURIComponent).join(',')}`,
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
};

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
