// Controls built from the server's field specs (GET /api/models): int and float as a slider (linear, log, or log
// with 0 at the far left) plus an editable box, choice as a select, bool as a checkbox. Nothing here knows a
// model: a new model or field on the server appears with its controls.

import { el, fmtNum } from './util.js';

const POS = 1000;

function sliderRange(f) {
  return [f.sliderMin ?? f.min ?? 0, f.sliderMax ?? f.max ?? 1];
}

/** Rounds a slider-derived value to 2 significant digits so the slider lands on 0.1, 50, 0.003. */
function nice(v, int) {
  if (v === 0) return 0;
  const r = Number(v.toPrecision(2));
  return int ? Math.max(1, Math.round(r)) : r;
}

export function posToValue(f, pos) {
  const [min, max] = sliderRange(f);
  const int = f.type === 'int';
  pos = Number(pos);
  if (f.scale !== 'log' && f.scale !== 'log0') {
    const v = min + ((max - min) * pos) / POS;
    if (int) return Math.round(v);
    const step = (max - min) / 100;
    return Number((Math.round(v / step) * step).toFixed(6));
  }
  if (f.scale === 'log0' && pos <= 0) return 0;
  const lo = min > 0 ? min : Math.min(1e-3, max / 1e3);
  const from = f.scale === 'log0' ? 1 : 0;
  const t = (pos - from) / (POS - from);
  return nice(Math.exp(Math.log(lo) + t * (Math.log(max) - Math.log(lo))), int);
}

export function valueToPos(f, v) {
  const [min, max] = sliderRange(f);
  if (f.scale !== 'log' && f.scale !== 'log0') {
    return Math.round(((Math.min(max, Math.max(min, v)) - min) / (max - min || 1)) * POS);
  }
  if (f.scale === 'log0' && v <= 0) return 0;
  const lo = min > 0 ? min : Math.min(1e-3, max / 1e3);
  const from = f.scale === 'log0' ? 1 : 0;
  const c = Math.min(max, Math.max(lo, v));
  return Math.round(from + ((Math.log(c) - Math.log(lo)) / (Math.log(max) - Math.log(lo) || 1)) * (POS - from));
}

/** A field spec's bounds, or a range of GET /api/limits: both are {min, max, minOpen}. */
export function rangeText(r) {
  return `${r.minOpen ? '(' : '['}${fmtNum(r.min)}, ${fmtNum(r.max)}]`;
}

export function inRange(r, v) {
  return (r.minOpen ? v > r.min : v >= r.min) && v <= r.max;
}

/** Checks a value (typed text or a number from a link) against the spec; returns {value} or {error} in words. */
export function parseValue(f, raw) {
  if (f.type === 'bool') {
    if (raw === true || raw === 'true') return { value: true };
    if (raw === false || raw === 'false') return { value: false };
    return { error: `${f.label} must be true or false` };
  }
  if (f.type === 'choice') {
    return f.choices.includes(String(raw)) ? { value: String(raw) }
      : { error: `${f.label} must be one of ${f.choices.join(', ')}, got "${raw}"` };
  }
  const t = String(raw).trim();
  if (t === '') return { error: `${f.label}: enter a number` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { error: `${f.label}: "${raw}" is not a number` };
  if (f.type === 'int' && !Number.isInteger(v)) return { error: `${f.label} must be a whole number` };
  if (!inRange(f, v)) return { error: `${f.label} must be in ${rangeText(f)}, got ${fmtNum(v)}` };
  return { value: v };
}

export function shown(f, values) {
  if (!f.showIf) return true;
  return Object.entries(f.showIf).every(([k, allowed]) => allowed.includes(String(values[k])));
}

/**
 * Builds one row per field into `container`. onChange(name, value, source) fires for valid values ('slider',
 * 'typed', 'select', 'check'); onInvalid(name, message|null) reports typed errors (null = cleared).
 * `hint(name, values)` may return a line shown under a row (e.g. a rule across fields).
 */
export function buildFields(container, fields, { idPrefix = '', onChange, onInvalid = () => {}, hint = () => '' }) {
  const rows = new Map();
  let values = {};
  for (const f of fields) {
    const id = `${idPrefix}val-${f.name}`;
    const row = el('div', { class: `param type-${f.type}`, dataset: { key: f.name }, title: f.help || '' });
    row.append(el('label', { for: id }, f.label || f.name));
    const err = el('div', { class: 'err', id: `${idPrefix}err-${f.name}`, role: 'alert' });
    const note = el('div', { class: 'param-hint muted', id: `${idPrefix}hint-${f.name}` });
    let range = null;
    let box;
    if (f.type === 'choice') {
      box = el('select', { id, class: 'choice' });
      for (const c of f.choices) box.append(el('option', { value: c }, c));
      box.addEventListener('change', () => onChange(f.name, box.value, 'select'));
      row.append(box);
    } else if (f.auto) {
      // 0 derives the value from the data and any other must equal that: a slider over the whole range would
      // offer hundreds of values the server refuses, so the choice is "auto", or the exact value a run was given
      box = el('select', { id, class: 'choice' });
      box.addEventListener('change', () => onChange(f.name, Number(box.value), 'select'));
      row.append(box);
      note.dataset.fixed = `auto (0): the ${f.auto} of the chosen data, the only other value the server accepts`;
    } else if (f.type === 'bool') {
      box = el('input', { id, type: 'checkbox', class: 'check' });
      box.addEventListener('change', () => onChange(f.name, box.checked, 'check'));
      row.append(box);
    } else {
      range = el('input', { type: 'range', id: `${idPrefix}range-${f.name}`, min: 0, max: POS, step: 1, 'aria-label': `${f.label} slider` });
      box = el('input', { id, class: 'val', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false' });
      range.addEventListener('input', () => {
        const v = posToValue(f, range.value);
        box.value = fmtNum(v);
        setError(f.name, null);
        onChange(f.name, v, 'slider');
      });
      const commit = (final) => {
        const r = parseValue(f, box.value);
        if (r.error) {
          setError(f.name, r.error);
          return;
        }
        setError(f.name, null);
        range.value = valueToPos(f, r.value);
        if (final) box.value = fmtNum(r.value);
        onChange(f.name, r.value, 'typed');
      };
      box.addEventListener('input', () => commit(false));
      box.addEventListener('change', () => commit(true));
      box.addEventListener('keydown', (e) => e.key === 'Enter' && commit(true));
      row.append(range, box);
    }
    row.append(err, note);
    container.append(row);
    rows.set(f.name, { f, row, range, box, err, note });
  }

  function setError(name, msg) {
    const r = rows.get(name);
    if (!r) return;
    r.err.textContent = msg || '';
    r.row.classList.toggle('invalid', !!msg);
    onInvalid(name, msg);
  }

  function show(name, v) {
    const r = rows.get(name);
    if (!r || v == null) return;
    if (r.f.type === 'bool') r.box.checked = !!v;
    else if (r.f.type === 'choice') r.box.value = v;
    else if (r.f.auto) {
      r.box.replaceChildren(el('option', { value: '0' }, 'auto'));
      if (Number(v) !== 0) r.box.append(el('option', { value: String(v) }, fmtNum(v)));
      r.box.value = String(v);
    } else {
      r.box.value = fmtNum(v);
      r.range.value = valueToPos(r.f, v);
    }
  }

  return {
    rows,
    setError,
    /** Shows these values, hides rows whose showIf does not hold, refreshes the hints. */
    render(vals) {
      values = vals;
      for (const { f, row } of rows.values()) {
        const visible = shown(f, values);
        row.hidden = !visible;
        if (!visible && row.classList.contains('invalid')) setError(f.name, null);
      }
      for (const [k, v] of Object.entries(values)) if (rows.has(k) && !rows.get(k).row.classList.contains('invalid')) show(k, v);
      this.refreshHints();
    },
    refreshHints() {
      for (const { f, note } of rows.values()) note.textContent = hint(f.name, values) || note.dataset.fixed || '';
    },
    visibleNames() {
      return [...rows.values()].filter((r) => !r.row.hidden).map((r) => r.f.name);
    },
    setDisabled(d) {
      for (const r of rows.values()) {
        r.box.disabled = d;
        if (r.range) r.range.disabled = d;
      }
    },
  };
}
