// The config form: one slider (with an editable value) per field, shown only for the models that use it.
// Ranges mirror the server's validation so bad values are caught before any request; the server stays the judge.

const log = (lo, hi) => ({
  toPos: v => (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)),
  fromPos: p => 10 ** (Math.log10(lo) + p * (Math.log10(hi) - Math.log10(lo))),
});
// log scale with an extra first notch meaning exactly 0
const logWithZero = (lo, hi) => {
  const l = log(lo, hi);
  return { toPos: v => (v <= 0 ? 0 : 0.04 + 0.96 * l.toPos(v)), fromPos: p => (p < 0.02 ? 0 : l.fromPos(Math.max(0, (p - 0.04) / 0.96))) };
};
const linear = (lo, hi) => ({ toPos: v => (v - lo) / (hi - lo), fromPos: p => lo + p * (hi - lo) });

const round = v => (v === 0 ? 0 : Number(v.toPrecision(2)));

export const FIELDS = [
  { name: 'context', label: 'context', int: true, scale: m => linear(1, { ngram: 5, neural: 3, mlp: 8 }[m]),
    min: 1, max: m => ({ ngram: 5, neural: 3, mlp: 16 }[m]), models: ['ngram', 'neural', 'mlp'] },
  { name: 'smoothing', label: 'smoothing k', scale: () => logWithZero(0.001, 1000), min: 0, max: 1e6, models: ['ngram'], round },
  { name: 'lr', label: 'learning rate', scale: () => log(1e-4, 100), minExclusive: 0, max: 1000, models: ['neural', 'mlp'], round },
  { name: 'l2', label: 'L2', scale: () => logWithZero(1e-5, 10), min: 0, max: 100, models: ['neural', 'mlp'], round },
  { name: 'embDim', label: 'embedding', int: true, scale: () => linear(1, 32), min: 1, max: 64, models: ['mlp'] },
  { name: 'hidden', label: 'hidden', int: true, scale: () => log(4, 1024), min: 1, max: 4096, models: ['mlp'] },
  { name: 'batch', label: 'batch', int: true, scale: m => (m === 'neural' ? logWithZero(1, 4096) : log(1, 1024)),
    min: m => (m === 'neural' ? 0 : 1), max: 65536, models: ['neural', 'mlp'], hint: m => (m === 'neural' ? '0 = full batch' : '') },
  { name: 'steps', label: 'steps', int: true, scale: () => log(10, 200000), min: 1, max: 5000000, models: ['neural', 'mlp'] },
  { name: 'schedule', label: 'schedule', options: ['constant', 'step', 'cosine'], models: ['mlp'] },
  { name: 'temperature', label: 'temperature', scale: () => linear(0.1, 3), min: 0.05, max: 10, models: ['ngram', 'neural', 'mlp'], round },
  { name: 'seed', label: 'seed', int: true, scale: () => linear(0, 1000), min: 0, max: 2 ** 53, models: ['neural', 'mlp'] },
];

export const DEFAULTS = {
  ngram: { context: 1, smoothing: 1, temperature: 1 },
  neural: { context: 1, lr: 50, l2: 0.01, batch: 0, steps: 200, temperature: 1, seed: 42 },
  mlp: { context: 3, lr: 0.1, l2: 0, embDim: 10, hidden: 200, batch: 32, steps: 20000, schedule: 'step', temperature: 1, seed: 42 },
};

const val = (x, model) => (typeof x === 'function' ? x(model) : x);

export function validate(f, model, v) {
  if (f.options) return f.options.includes(v) ? null : `${f.name} must be one of ${f.options.join(', ')}`;
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${f.name} must be a number`;
  if (f.int && !Number.isInteger(v)) return `${f.name} must be a whole number`;
  const max = val(f.max, model);
  if (f.minExclusive !== undefined) {
    if (!(v > f.minExclusive && v <= max)) return `${f.name} must be in (${f.minExclusive}, ${max}]`;
  } else {
    const min = val(f.min, model);
    if (!(v >= min && v <= max)) return `${f.name} must be in [${min}, ${max}]`;
  }
  return null;
}

// Builds the form into `root`; calls onChange(name, value) for every valid change.
export function buildControls(root, onChange) {
  const state = { model: 'mlp', values: { ...DEFAULTS.mlp }, errors: {} };
  const rows = {};
  for (const f of FIELDS) {
    const row = document.createElement('div');
    row.className = 'slider';
    row.dataset.field = f.name;
    const label = document.createElement('label');
    label.textContent = f.label;
    label.htmlFor = 'f-' + f.name;
    row.append(label);
    if (f.options) {
      const sel = document.createElement('select');
      sel.id = 'f-' + f.name;
      for (const o of f.options) sel.append(new Option(o, o));
      sel.addEventListener('change', () => set(f, sel.value));
      row.append(sel);
      rows[f.name] = { row, sel };
    } else {
      const range = document.createElement('input');
      range.type = 'range'; range.min = 0; range.max = 1000; range.step = 1;
      range.setAttribute('aria-label', f.label + ' slider');
      const text = document.createElement('input');
      text.type = 'text'; text.id = 'f-' + f.name; text.inputMode = 'decimal';
      range.addEventListener('input', () => {
        let v = f.scale(state.model).fromPos(range.value / 1000);
        v = f.int ? Math.round(v) : f.round ? f.round(v) : v;
        text.value = v;
        set(f, v);
      });
      text.addEventListener('change', () => set(f, text.value.trim() === '' ? NaN : Number(text.value)));
      row.append(range, text);
      rows[f.name] = { row, range, text };
    }
    root.append(row);
  }
  const error = document.getElementById('config-error');

  function set(f, v) {
    const msg = validate(f, state.model, v);
    const r = rows[f.name];
    if (r.text) r.text.classList.toggle('invalid', !!msg);
    if (msg) state.errors[f.name] = msg; else delete state.errors[f.name];
    error.textContent = Object.values(state.errors).join('\n');
    if (!msg) {
      state.values[f.name] = v;
      if (r.range) r.range.value = Math.round(1000 * Math.min(1, Math.max(0, f.scale(state.model).toPos(v))));
      onChange(f.name, v);
    }
  }

  function render() {
    for (const f of FIELDS) {
      const r = rows[f.name];
      const shown = f.models.includes(state.model);
      r.row.hidden = !shown;
      if (!shown) continue;
      const v = state.values[f.name];
      if (r.sel) r.sel.value = v;
      else {
        r.text.value = v;
        r.text.classList.remove('invalid');
        r.range.value = Math.round(1000 * Math.min(1, Math.max(0, f.scale(state.model).toPos(v))));
        r.text.title = f.hint ? f.hint(state.model) : '';
      }
    }
    state.errors = {};
    error.textContent = '';
  }

  return {
    state,
    setModel(model, values) {
      state.model = model;
      state.values = { ...DEFAULTS[model], ...(values || {}) };
      render();
    },
    // The config to send: the fields of this model only (the server fills the rest with its defaults).
    config(dataset) {
      const cfg = { dataset, model: state.model };
      for (const f of FIELDS) if (f.models.includes(state.model)) cfg[f.name] = state.values[f.name];
      if (state.model !== 'ngram') {
        const every = Math.max(1, Math.round(cfg.steps / 20));
        cfg.evalEvery = every;
        cfg.sampleEvery = every;
      }
      return cfg;
    },
    valid: () => Object.keys(state.errors).length === 0,
  };
}
