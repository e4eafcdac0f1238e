// The hyperparameter controls: each is a slider (linear or log, optionally with 0) plus an editable value box.
// Ranges mirror the server's RunConfig.validate(); the server stays the authority and its 400s are shown inline.

import { el, fmtNum } from './util.js';

const ALL = ['ngram', 'neural', 'mlp'];
const TRAINED = ['neural', 'mlp'];

/** Defaults per model, as the server resolves them (RunConfig.resolve); steps/evalEvery trimmed for a lab. */
export const MODEL_DEFAULTS = {
  ngram: { context: 1, smoothing: 1, temperature: 1 },
  neural: { context: 1, lr: 50, l2: 0.01, batch: 0, steps: 200, evalEvery: 20, schedule: 'constant', decayAt: 0.5, decayFactor: 0.1, temperature: 1 },
  mlp: { context: 3, lr: 0.1, l2: 0, embDim: 10, hidden: 200, batch: 32, steps: 20000, evalEvery: 1000, schedule: 'step', decayAt: 0.5, decayFactor: 0.1, temperature: 1 },
};

export const MODEL_NOTES = {
  ngram: 'Counts with add-k smoothing. No training: every move of k is scored at once. Train stores it as a run.',
  neural: 'One linear layer over the one-hot context, softmax, L2 on the weights (lecture: lr 50, full batch).',
  mlp: 'Bengio et al. 2003: embed the context, tanh hidden layer, softmax. Minibatch SGD.',
};

/**
 * kind: 'lin' | 'log' | 'log0' (0 at the far left, then log) ; int: round to integers.
 * min/max: slider range; lo/hi: accepted range when typed (defaults to min/max); hi may depend on the model.
 */
export const PARAMS = [
  { key: 'context', label: 'context', title: 'characters of context (1 = bigram)', kind: 'lin', int: true, min: 1, max: { ngram: 5, neural: 3, mlp: 16 }, models: ALL },
  { key: 'smoothing', label: 'smoothing k', title: 'add-k smoothing of the counts (0 = none)', kind: 'log0', min: 1e-3, max: 1e4, lo: 0, hi: 1e6, models: ['ngram'] },
  { key: 'lr', label: 'learning rate', title: 'SGD step size; while a run trains, moving this changes its learning rate live', kind: 'log', min: 1e-4, max: 1000, lo: 1e-9, hi: 1000, loOpen: true, models: TRAINED, live: true },
  { key: 'l2', label: 'L2', title: 'weight decay added to the loss (0 = none)', kind: 'log0', min: 1e-5, max: 100, lo: 0, hi: 100, models: TRAINED },
  { key: 'embDim', label: 'embedding dims', title: 'size of each character vector', kind: 'lin', int: true, min: 1, max: 64, models: ['mlp'] },
  { key: 'hidden', label: 'hidden units', title: 'tanh layer width', kind: 'log', int: true, min: 1, max: 4096, models: ['mlp'] },
  { key: 'batch', label: 'batch', title: 'examples per step (0 = the whole training set)', kind: 'log0', int: true, min: 1, max: 65536, lo: 0, models: TRAINED, zero: 'full' },
  { key: 'steps', label: 'steps', title: 'optimisation steps', kind: 'log', int: true, min: 1, max: 1e6, hi: 5e6, models: TRAINED },
  { key: 'evalEvery', label: 'eval every', title: 'steps between dev/train evaluations (and samples, embedding)', kind: 'log', int: true, min: 1, max: 1e5, hi: 5e6, models: TRAINED },
  { key: 'schedule', label: 'lr schedule', title: 'constant, step decay (× factor at a fraction of the steps) or cosine', choices: ['constant', 'step', 'cosine'], models: TRAINED },
  { key: 'decayAt', label: 'decay at', title: 'fraction of the steps where step decay kicks in', kind: 'lin', min: 0, max: 1, step: 0.05, models: TRAINED, when: (v) => v.schedule === 'step' },
  { key: 'decayFactor', label: 'decay factor', title: 'lr multiplier after decay (cosine: final fraction)', kind: 'log', min: 1e-3, max: 1, loOpen: true, lo: 1e-9, models: TRAINED, when: (v) => v.schedule !== 'constant' },
  { key: 'seed', label: 'seed', title: 'initialisation and batch order; same config + seed = same curves', kind: 'lin', int: true, min: 0, max: 9999, hi: Number.MAX_SAFE_INTEGER, models: ALL },
  { key: 'temperature', label: 'temperature', title: 'sampling temperature (<1 safer, >1 wilder)', kind: 'log', min: 0.05, max: 10, models: ALL },
];

const POS = 1000;

function maxFor(p, model) {
  return typeof p.max === 'object' ? p.max[model] : p.max;
}

/** Rounds a slider-derived value to 2 significant digits so the slider lands on 0.1, 50, 0.003. */
function nice(v, int) {
  if (v === 0) return 0;
  const r = Number(v.toPrecision(2));
  return int ? Math.max(1, Math.round(r)) : r;
}

export function posToValue(p, model, pos) {
  const min = p.min;
  const max = maxFor(p, model);
  pos = Number(pos);
  if (p.kind === 'lin') {
    const step = p.step || (p.int ? 1 : (max - min) / POS);
    const v = min + ((max - min) * pos) / POS;
    const r = Math.round(v / step) * step;
    return p.int ? Math.round(r) : Number(r.toFixed(6));
  }
  if (p.kind === 'log0' && pos <= 0) return 0;
  const from = p.kind === 'log0' ? 1 : 0;
  const t = (pos - from) / (POS - from);
  return nice(Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))), p.int);
}

export function valueToPos(p, model, v) {
  const min = p.min;
  const max = maxFor(p, model);
  if (p.kind === 'lin') return Math.round(((Math.min(max, Math.max(min, v)) - min) / (max - min)) * POS);
  if (p.kind === 'log0' && v <= 0) return 0;
  const from = p.kind === 'log0' ? 1 : 0;
  const c = Math.min(max, Math.max(min, v));
  return Math.round(from + ((Math.log(c) - Math.log(min)) / (Math.log(max) - Math.log(min))) * (POS - from));
}

/** Parses what a person typed; returns {value} or {error} in words. */
export function parseTyped(p, model, text) {
  const t = String(text).trim().toLowerCase();
  if (p.zero && (t === p.zero || t === 'all')) return { value: 0 };
  if (t === '') return { error: `${p.label}: enter a number` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { error: `${p.label}: "${text}" is not a number` };
  const lo = p.lo ?? p.min;
  const hi = typeof p.hi === 'number' ? p.hi : maxFor(p, model);
  if (p.int && !Number.isInteger(v)) return { error: `${p.label} must be a whole number` };
  const range = `${p.loOpen ? '(0' : '[' + fmtNum(lo)}, ${fmtNum(hi)}]`;
  if (p.loOpen ? !(v > 0) : v < lo) return { error: `${p.label} must be in ${range}, got ${fmtNum(v)}` };
  if (v > hi) return { error: `${p.label} must be in ${range}, got ${fmtNum(v)}` };
  return { value: v };
}

export function display(p, v) {
  if (p.zero && v === 0) return p.zero;
  return fmtNum(v);
}

/**
 * Builds the rows. onChange(key, value, source) fires for valid values; onInvalid(key, message|null) reports typed
 * errors (null = cleared). Returns an object to set values and to show the rows of one model.
 */
export function buildParams(container, { onChange, onInvalid }) {
  const rows = new Map();
  let model = 'mlp';
  let values = {};

  for (const p of PARAMS) {
    const row = el('div', { class: 'param', dataset: { key: p.key }, title: p.title });
    const label = el('label', { for: `val-${p.key}` }, p.label);
    row.append(label);
    let range = null;
    let box;
    const err = el('div', { class: 'err', id: `err-${p.key}`, role: 'alert' });
    if (p.choices) {
      box = el('select', { id: `val-${p.key}`, class: 'choice', 'aria-label': p.label });
      for (const c of p.choices) box.append(el('option', { value: c }, c));
      box.addEventListener('change', () => onChange(p.key, box.value, 'select'));
      row.append(box);
    } else {
      range = el('input', { type: 'range', id: `range-${p.key}`, min: 0, max: POS, step: 1, 'aria-label': `${p.label} slider` });
      box = el('input', { id: `val-${p.key}`, class: 'val', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', 'aria-label': p.label });
      range.addEventListener('input', () => {
        const v = posToValue(p, model, range.value);
        box.value = display(p, v);
        setError(p.key, null);
        onChange(p.key, v, 'slider');
      });
      const commit = (final) => {
        const r = parseTyped(p, model, box.value);
        if (r.error) {
          setError(p.key, r.error);
          return;
        }
        setError(p.key, null);
        range.value = valueToPos(p, model, r.value);
        if (final) box.value = display(p, r.value);
        onChange(p.key, r.value, 'typed');
      };
      box.addEventListener('input', () => commit(false));
      box.addEventListener('change', () => commit(true));
      box.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') commit(true);
      });
      row.append(range, box);
    }
    row.append(err);
    container.append(row);
    rows.set(p.key, { p, row, range, box, err });
  }

  function setError(key, msg) {
    const r = rows.get(key);
    if (!r) return;
    r.err.textContent = msg || '';
    r.row.classList.toggle('invalid', !!msg);
    onInvalid(key, msg);
  }

  function set(key, v) {
    const r = rows.get(key);
    if (!r) return;
    values[key] = v;
    if (r.p.choices) {
      r.box.value = v;
    } else {
      r.box.value = display(r.p, v);
      r.range.value = valueToPos(r.p, model, v);
    }
    if (r.row.classList.contains('invalid')) setError(key, null);
  }

  return {
    rows,
    set,
    setError,
    setModel(m, vals) {
      model = m;
      values = vals;
      this.refresh();
    },
    refresh() {
      for (const { p, row } of rows.values()) {
        const shown = p.models.includes(model) && (!p.when || p.when(values));
        row.hidden = !shown;
        if (!shown && row.classList.contains('invalid')) setError(p.key, null);
      }
      for (const [key, v] of Object.entries(values)) if (rows.has(key) && v != null) set(key, v);
    },
    visibleKeys() {
      return PARAMS.filter((p) => p.models.includes(model) && (!p.when || p.when(values))).map((p) => p.key);
    },
    relevantKeys(m) {
      return PARAMS.filter((p) => p.models.includes(m)).map((p) => p.key);
    },
  };
}
