// #/sweeps: a new sweep from the current controls (a grid over one or two numeric fields, each a list of values or a
// lin/log range; seeds per point; optional median pruning; or random/ASHA trials drawn from up to six ranges) and the
// stored sweeps. A re-run link (#/sweeps?def=...) puts a
// stored definition's base config into the controls and its fields, seeds and pruning into this form.

import { api, ApiError } from '../api.js';
import { bus, store, model, go, links, datasetName, currentConfig } from '../state.js';
import { parseValue, shown } from '../fields.js';
import { $, el, clear, fmtNum, fmtTime } from '../util.js';

let root;
let params = []; // [{field, mode: 'values'|'range', values, lo, hi, points, scale}]
let listTimer = null;
const MAX_DRAWN = 6; // random and asha draw from up to six fields (the server's bound too)

/** grid, random or asha, from the form. */
function kind() {
  return $('sweep-search').value;
}

function base() {
  return currentConfig();
}

function numericFields(cfg) {
  const m = model(cfg.model);
  if (!m) return [];
  // a field the data fixes (block size: auto or exactly the data's value) has nothing to sweep
  return m.fields.filter((f) => (f.type === 'int' || f.type === 'float') && !f.auto && shown(f, cfg));
}

function defaultParam(f, taken) {
  const fields = numericFields(base()).filter((x) => !taken.includes(x.name));
  const pick = fields.find((x) => x.name === f) || fields.find((x) => ['smoothing', 'l2', 'lr', 'hidden'].includes(x.name)) || fields[0];
  if (!pick) return null;
  // a range around the control's current value: a decade each way on log fields, half to double on linear ones
  const log = pick.scale !== 'lin';
  const v = Number(base()[pick.name] ?? pick.default);
  const clamp = (x) => Math.min(pick.max, Math.max(pick.min, x));
  let lo;
  let hi;
  if (log) {
    const at = v > 0 ? v : Math.max(pick.sliderMin ?? 1e-3, 1e-3) * 100;
    [lo, hi] = [clamp(at / 10), clamp(at * 10)];
    if (!(lo > 0)) lo = at / 10;
  } else {
    [lo, hi] = [clamp(v / 2), clamp(v * 2)];
    if (pick.type === 'int') [lo, hi] = [Math.max(pick.min, Math.floor(lo)), Math.ceil(hi)];
    if (!(hi > lo)) [lo, hi] = [pick.min, Math.min(pick.max, pick.sliderMax ?? pick.max)];
  }
  return { field: pick.name, mode: 'range', values: '', lo: fmtNum(Number(lo.toPrecision(3))), hi: fmtNum(Number(hi.toPrecision(3))),
    points: 5, scale: log ? 'log' : 'lin' };
}

/** The definition the form describes, or {error, field} in words. */
function definition() {
  const cfg = base();
  const fields = numericFields(cfg);
  const out = [];
  for (const [i, p] of params.entries()) {
    const f = fields.find((x) => x.name === p.field);
    if (!f) return { error: `field ${i + 1}: ${p.field} is not a numeric field of ${cfg.model}`, at: i };
    if (p.mode === 'values') {
      const vals = String(p.values).split(/[\s,;]+/).filter(Boolean);
      if (!vals.length) return { error: `${f.label}: list at least one value`, at: i };
      const nums = [];
      for (const v of vals) {
        const r = parseValue(f, v);
        if (r.error) return { error: r.error, at: i };
        nums.push(r.value);
      }
      out.push({ field: f.name, values: nums });
    } else {
      const lo = Number(p.lo);
      const hi = Number(p.hi);
      const n = Number(p.points);
      if (![lo, hi].every(Number.isFinite)) return { error: `${f.label}: lo and hi must be numbers`, at: i };
      if (!(lo < hi)) return { error: `${f.label}: lo must be below hi`, at: i };
      if (p.scale === 'log' && lo <= 0) return { error: `${f.label}: a log range needs lo > 0`, at: i };
      if (kind() !== 'grid') { // trials are drawn from the range: no point count
        out.push({ field: f.name, range: { lo, hi, scale: p.scale } });
        continue;
      }
      if (!Number.isInteger(n) || n < 2) return { error: `${f.label}: points must be a whole number >= 2`, at: i };
      for (const v of [lo, hi]) {
        const r = parseValue(f, v);
        if (r.error && f.type !== 'int') return { error: r.error, at: i };
      }
      out.push({ field: f.name, range: { lo, hi, points: n, scale: p.scale } });
    }
  }
  if (new Set(out.map((p) => p.field)).size < out.length) return { error: 'choose different fields', at: out.length - 1 };
  if (kind() !== 'grid') return drawnDefinition(cfg, out);
  const seeds = Number($('sweep-seeds').value);
  const maxSeeds = store.limits.sweepSeeds;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > maxSeeds) return { error: `seeds per point: a whole number in [1, ${maxSeeds}]`, at: -1 };
  const def = { base: cfg, params: out, seeds };
  if ($('sweep-prune').checked) {
    const margin = Number($('sweep-margin').value);
    const minFinished = Number($('sweep-minfin').value);
    const { min, max } = store.limits.pruneMargin;
    if (!(margin >= min && margin <= max)) return { error: `pruning margin: a number in [${min}, ${max}] (nats)`, at: -1 };
    const runs = store.limits.sweepRuns;
    if (!Number.isInteger(minFinished) || minFinished < 1 || minFinished > runs) return { error: `pruning: finished points before pruning must be in [1, ${runs}]`, at: -1 };
    def.prune = { margin, minFinished };
  }
  return { def };
}

/** Random or ASHA: the trials and, for ASHA, eta and the first rung; the server names the flag of any bad value. */
function drawnDefinition(cfg, out) {
  if (out.every((p) => p.values)) return { error: `${kind()} draws from ranges: choose range for a field (with values lists only, a grid is meant)`, at: -1 };
  const search = { kind: kind(), trials: Number($('sweep-trials').value) };
  if (!Number.isInteger(search.trials) || search.trials < 1) return { error: 'trials: a whole number', at: -1 };
  if (kind() === 'asha') {
    search.eta = Number($('sweep-eta').value);
    const first = $('sweep-minsteps').value.trim(); // empty: the server's default, steps / eta^2
    if (first !== '') search.minSteps = Number(first);
    if (!Number.isInteger(search.eta) || (first !== '' && !Number.isInteger(search.minSteps))) return { error: 'eta and first rung: whole numbers', at: -1 };
  }
  const def = { base: cfg, params: out, search };
  if (kind() === 'random' && $('sweep-prune').checked) {
    def.prune = { margin: Number($('sweep-margin').value), minFinished: Number($('sweep-minfin').value) };
  }
  return { def };
}

/** ASHA's rungs as the server makes them: minSteps (by default the evaluation at or below steps / eta^2) x eta^k below steps, then steps. */
export function rungSteps(minSteps, eta, steps, every = 1) {
  if (minSteps === undefined) minSteps = Math.min(steps, Math.max(every, Math.floor(Math.floor(steps / (eta * eta)) / every) * every));
  const out = [];
  for (let r = minSteps; r < steps && eta >= 2 && r >= 1; r *= eta) out.push(r);
  out.push(steps);
  return out;
}

function pointCount(def) {
  if (def.search) return def.search.trials;
  let n = def.seeds;
  for (const p of def.params) n *= p.values ? p.values.length : p.range.points;
  return n;
}

function renderBase() {
  const cfg = base();
  const m = model(cfg.model);
  $('sweep-base-note').textContent = 'the controls (change them on the left)';
  const chips = clear($('sweep-base'));
  chips.append(el('span', { class: 'chip strong' }, `${m ? m.title : cfg.model} · ${datasetName(cfg.dataset)}`));
  for (const [k, v] of Object.entries(cfg)) {
    if (k === 'model' || k === 'dataset' || typeof v === 'object') continue;
    chips.append(el('span', { class: 'chip' }, `${k}=${typeof v === 'number' ? fmtNum(v) : v}`));
  }
}

function renderParams() {
  const box = clear($('sweep-params'));
  const fields = numericFields(base());
  params.forEach((p, i) => {
    const row = el('div', { class: 'sweep-param', dataset: { index: i } });
    const sel = el('select', { id: `sweep-field-${i}`, 'aria-label': `swept field ${i + 1}` });
    for (const f of fields) sel.append(el('option', { value: f.name }, `${f.label} (${f.type})`));
    sel.value = p.field;
    sel.addEventListener('change', () => {
      params[i] = defaultParam(sel.value, []);
      renderParams();
    });
    const mode = el('select', { id: `sweep-mode-${i}`, 'aria-label': `how field ${i + 1} is swept` });
    mode.append(el('option', { value: 'values' }, 'values'), el('option', { value: 'range' }, 'range'));
    mode.value = p.mode;
    mode.addEventListener('change', () => {
      p.mode = mode.value;
      renderParams();
    });
    row.append(el('span', { class: 'muted tiny' }, i === 0 ? (params.length > 1 ? 'rows' : 'sweep') : 'columns'), sel, mode);
    const input = (key, attrs) => {
      const box = el('input', { id: `sweep-${key}-${i}`, class: 'val', autocomplete: 'off', spellcheck: 'false', ...attrs });
      box.value = p[key];
      box.addEventListener('input', () => {
        p[key] = box.value;
        preview();
      });
      return box;
    };
    if (p.mode === 'values') {
      row.append(input('values', { placeholder: 'e.g. 0.01, 0.1, 1', class: 'val wide', 'aria-label': 'values, comma separated' }));
    } else {
      const drawn = kind() !== 'grid';
      const scale = el('select', { id: `sweep-scale-${i}`, 'aria-label': 'range scale' });
      scale.append(el('option', { value: 'lin' }, 'lin'), el('option', { value: 'log' }, 'log'));
      scale.value = p.scale;
      scale.addEventListener('change', () => {
        p.scale = scale.value;
        preview();
      });
      row.append(el('label', { class: 'ctl' }, 'lo'), input('lo', { 'aria-label': 'lo' }), el('label', { class: 'ctl' }, 'hi'),
        input('hi', { 'aria-label': 'hi' }), ...(drawn ? [] : [el('label', { class: 'ctl' }, 'points'), input('points', { 'aria-label': 'points' })]), scale);
    }
    if (i >= 1) row.append(el('button', { type: 'button', class: 'small', onclick: () => { params.splice(i, 1); renderParams(); } }, 'remove'));
    box.append(row);
  });
  const most = kind() === 'grid' ? 2 : MAX_DRAWN;
  $('sweep-add').hidden = params.length >= most || fields.length <= params.length;
  $('sweep-add').textContent = kind() === 'grid' ? '+ second field (grid)' : '+ field';
  const drawn = kind() !== 'grid';
  $('sweep-seeds-row').hidden = drawn;
  $('sweep-trials-row').hidden = !drawn;
  $('sweep-asha-row').hidden = kind() !== 'asha';
  $('sweep-prune-row').hidden = kind() === 'asha' || !(model(base().model) || {}).trainable;
  preview();
}

function preview() {
  const r = definition();
  $('sweep-err').textContent = r.error || '';
  if (r.error) {
    $('sweep-count').textContent = '';
    $('sweep-run').disabled = true;
    return;
  }
  const n = pointCount(r.def);
  const max = store.limits.sweepRuns;
  const rungs = r.def.search?.kind === 'asha' ? ` · rungs at ${rungSteps(r.def.search.minSteps, r.def.search.eta, r.def.base.steps, r.def.base.evalEvery).join(', ')} steps` : '';
  $('sweep-count').textContent = `${n} ${r.def.search ? 'trial' : 'run'}${n === 1 ? '' : 's'}${r.def.seeds > 1 ? ` (${n / r.def.seeds} points x ${r.def.seeds} seeds)` : ''}${rungs}`
    + (n > max ? ` — at most ${max}` : '');
  $('sweep-run').disabled = n > max || n < 1;
}

async function runSweep() {
  const r = definition();
  if (r.error) return;
  $('sweep-run').disabled = true;
  try {
    const { id } = await api.createSweep(r.def);
    bus.emit('runs:refresh');
    go(links.sweep(id));
  } catch (e) {
    $('sweep-err').textContent = (e instanceof ApiError && e.field ? `${e.field}: ` : '') + e.message;
  } finally {
    $('sweep-run').disabled = false;
  }
}

async function refreshList() {
  let sweeps;
  try {
    sweeps = await api.sweeps();
  } catch (e) {
    return;
  }
  const tbody = clear($('sweep-list'));
  for (const s of sweeps) {
    const counts = Object.entries(s.counts || {}).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(', ');
    const tr = el('tr', { dataset: { id: s.id } });
    const st = el('td');
    st.append(el('span', { class: 'pill small', dataset: { status: s.status } }, s.status));
    const idCell = el('td');
    idCell.append(el('a', { href: links.sweep(s.id), class: 'mono' }, s.id));
    tr.append(idCell, el('td', {}, fmtTime(s.created)), el('td', {}, `${s.model} · ${datasetName(s.dataset)}`),
      el('td', {}, (s.fields || []).join(' x ') + (s.seeds > 1 ? ` · ${s.seeds} seeds` : '')), el('td', { class: 'num' }, s.points), st,
      el('td', { class: 'muted tiny' }, counts));
    tr.addEventListener('click', (e) => e.target.tagName !== 'A' && go(links.sweep(s.id)));
    tbody.append(tr);
  }
  $('sweep-list-empty').hidden = sweeps.length > 0;
  clearTimeout(listTimer);
  if (store.route.name === 'sweeps' && sweeps.some((s) => s.status === 'running')) listTimer = setTimeout(refreshList, 2000);
}

function build() {
  root = $('sweeps-view');
  const form = el('div', { class: 'panel', id: 'sweep-form' });
  const head = el('div', { class: 'panel-head' });
  head.append(el('h2', {}, 'New sweep'), el('span', { class: 'muted' }, 'each point is an ordinary stored run, queued like any other'));
  const baseRow = el('div', { class: 'row wrap sweep-row' });
  baseRow.append(el('span', { class: 'muted tiny' }, 'base:'), el('span', { class: 'muted tiny', id: 'sweep-base-note' }), el('div', { class: 'chips', id: 'sweep-base' }));
  const opts = el('div', { class: 'row wrap sweep-row' });
  const search = el('select', { id: 'sweep-search', 'aria-label': 'search' });
  search.append(el('option', { value: 'grid' }, 'grid: every combination'), el('option', { value: 'random' }, 'random trials'),
    el('option', { value: 'asha' }, 'ASHA: random trials stopped early at rungs'));
  search.addEventListener('change', () => {
    if (search.value === 'grid') params = params.slice(0, 2);
    renderParams();
  });
  opts.append(el('label', { class: 'ctl', for: 'sweep-search' }, 'search'), search);
  const field = (id, label, value, title, placeholder = '') => {
    const box = el('input', { id, class: 'val', value, placeholder, 'aria-label': label });
    box.addEventListener('input', preview);
    return [el('label', { class: 'ctl', for: id, title }, label), box];
  };
  const seedsRow = el('span', { class: 'row wrap', id: 'sweep-seeds-row' });
  seedsRow.append(...field('sweep-seeds', 'seeds per point', '1'));
  const trialsRow = el('span', { class: 'row wrap', id: 'sweep-trials-row', hidden: true });
  trialsRow.append(...field('sweep-trials', 'trials', '27', 'how many configs to draw; the base seed makes the draw reproducible'));
  const ashaRow = el('span', { class: 'row wrap', id: 'sweep-asha-row', hidden: true });
  ashaRow.append(...field('sweep-eta', 'eta', '3', 'the top 1/eta of the trials at each rung go on'),
    ...field('sweep-minsteps', 'first rung (steps)', '', 'empty: steps / eta^2 at an evaluation; rungs are this x eta^k up to the run\'s steps; a multiple of eval every', 'auto'));
  opts.append(seedsRow, trialsRow, ashaRow);
  const pruneRow = el('span', { class: 'row wrap', id: 'sweep-prune-row' });
  const prune = el('input', { type: 'checkbox', id: 'sweep-prune' });
  const margin = el('input', { id: 'sweep-margin', class: 'val', value: '0.1', 'aria-label': 'pruning margin (nats)' });
  const minfin = el('input', { id: 'sweep-minfin', class: 'val', value: '3', 'aria-label': 'finished points before pruning' });
  for (const i of [prune, margin, minfin]) i.addEventListener('input', preview);
  const pl = el('label', { class: 'ctl', title: 'a running point whose dev at an evaluation is worse than the median of finished points at that step by more than the margin is stopped as pruned' });
  pl.append(prune, document.createTextNode('prune: stop a point worse than the median by'));
  pruneRow.append(pl, margin, el('span', { class: 'ctl' }, 'nats once'), minfin, el('span', { class: 'ctl' }, 'points finished'));
  opts.append(pruneRow);
  const actions = el('div', { class: 'row wrap sweep-row' });
  actions.append(el('button', { type: 'button', class: 'primary', id: 'sweep-run', onclick: runSweep }, 'Run sweep'),
    el('span', { class: 'muted', id: 'sweep-count' }),
    el('button', { type: 'button', class: 'small', id: 'sweep-add', onclick: () => { params.push(defaultParam(null, params.map((p) => p.field))); renderParams(); } }, '+ second field (grid)'));
  form.append(head, baseRow, el('div', { id: 'sweep-params' }), opts, actions, el('div', { class: 'err', id: 'sweep-err', role: 'alert' }));

  const list = el('div', { class: 'panel' });
  const lh = el('div', { class: 'panel-head' });
  lh.append(el('h2', {}, 'Sweeps'), el('span', { class: 'muted' }, 'click one to open its plot; its link opens it anywhere'));
  const wrap = el('div', { class: 'table-wrap' });
  const table = el('table', { class: 'compare sweep-table' });
  const thead = el('thead');
  const tr = el('tr');
  for (const h of ['sweep', 'created', 'model', 'fields', 'runs', 'status', '']) tr.append(el('th', {}, h));
  thead.append(tr);
  table.append(thead, el('tbody', { id: 'sweep-list' }));
  wrap.append(table);
  list.append(lh, wrap, el('p', { class: 'muted', id: 'sweep-list-empty' }, 'No sweeps yet.'));
  root.append(form, list);
}

function loadRerun(defText) {
  let def;
  try {
    def = JSON.parse(defText);
  } catch (e) {
    bus.emit('error', `This sweep re-run link is broken: its definition is not valid JSON (${e.message}); the link was probably cut short or edited. Nothing was loaded from it.`);
    return;
  }
  if (!def || typeof def !== 'object' || !def.base || !Array.isArray(def.params)) {
    bus.emit('error', 'This sweep re-run link is broken: its definition needs a "base" config and a "params" list. Nothing was loaded from it.');
    return;
  }
  bus.emit('form:load', { config: def.base, origin: 'from a sweep re-run link' });
  const search = def.search || { kind: 'grid' };
  $('sweep-search').value = ['random', 'asha'].includes(search.kind) ? search.kind : 'grid';
  if (search.trials) $('sweep-trials').value = String(search.trials);
  if (search.eta) $('sweep-eta').value = String(search.eta);
  if (search.minSteps) $('sweep-minsteps').value = String(search.minSteps);
  params = def.params.slice(0, search.kind === 'grid' ? 2 : MAX_DRAWN).map((p) => (p.range
    ? { field: p.field, mode: 'range', values: '', lo: String(p.range.lo), hi: String(p.range.hi), points: p.range.points ?? 5, scale: p.range.scale || 'lin' }
    : { field: p.field, mode: 'values', values: (p.values || []).join(', '), lo: '', hi: '', points: 5, scale: p.scale === 'log' ? 'log' : 'lin' }));
  $('sweep-seeds').value = String(def.seeds || 1);
  $('sweep-prune').checked = !!def.prune;
  if (def.prune) {
    $('sweep-margin').value = String(def.prune.margin);
    $('sweep-minfin').value = String(def.prune.minFinished ?? 3);
  }
}

export function initSweeps() {
  build();
  bus.on('route', (route) => {
    if (route.name !== 'sweeps') return;
    if (route.def) loadRerun(route.def);
    if (!params.length || !numericFields(base()).some((f) => f.name === params[0].field)) params = [defaultParam(null, [])].filter(Boolean);
    renderBase();
    renderParams();
    refreshList();
  });
  bus.on('sweeps:refresh', () => store.route.name === 'sweeps' && refreshList());
  bus.on('form', () => {
    if (store.route.name !== 'sweeps') return;
    const names = numericFields(base()).map((x) => x.name);
    params = params.filter((p) => names.includes(p.field));
    if (!params.length) params = [defaultParam(null, [])].filter(Boolean);
    renderBase();
    renderParams();
  });
}
