// #/finder: the LR finder for the model in the controls. One stored run whose learning rate grows exponentially
// from lrMin to lrMax over K steps (schedule "finder"); its loss, raw and smoothed, against log10(lr), the
// suggested rate marked with the server's rule in words, and "Use this" puts the rate into the lr control.

import { api, ApiError } from '../api.js';
import { bus, store, model, go, links, datasetName, currentConfig, TERMINAL } from '../state.js';
import { parseValue } from '../fields.js';
import { CurveChart } from '../charts/curve-chart.js';
import { $, el, num, fmtNum } from '../util.js';

// K, the finder's usual length (backend/API.md): the model's own steps default is for training, not for this
const FINDER_STEPS = 1000;
// fewer steps give too few points for a curve or a suggestion (the server would accept them)
const MIN_FINDER_STEPS = 10;

let chart = null;
let openId = null;
let timer = null;
let suggestion = null;

/** 2 significant digits: the value the lr control shows and trains with. */
export function roundLr(v) {
  return Number(v.toPrecision(2));
}

function formModel() {
  return model(store.form.model);
}

/** An empty lr box starts at the model's own default for it (a count model has none: it stays empty till then). */
function fillDefaults(m) {
  for (const [name, id] of [['lrMin', 'fd-min'], ['lrMax', 'fd-max']]) {
    const f = m && m.fields.find((x) => x.name === name);
    if (f && $(id).value === '') $(id).value = fmtNum(f.default);
  }
}

function renderStart() {
  const m = formModel();
  fillDefaults(m);
  const ok = !!(m && m.trainable && m.fields.some((f) => f.name === 'lr'));
  $('fd-model').textContent = m ? `${m.title} on ${datasetName(currentConfig().dataset)}, the other values as in the controls` : '';
  $('fd-run').disabled = !ok;
  $('fd-err').textContent = ok ? '' : `The LR finder needs a trainable model with a learning rate: ${m ? m.title : 'this model'} has none. Choose one in the controls.`;
}

/** The three boxes checked against the model's field specs; {values} or {error} in words. */
function readBoxes() {
  const m = formModel();
  const values = {};
  for (const [name, id] of [['lrMin', 'fd-min'], ['lrMax', 'fd-max'], ['steps', 'fd-steps']]) {
    const f = m?.fields.find((x) => x.name === name);
    const r = f ? parseValue(f, $(id).value) : { value: Number($(id).value) };
    if (r.error) return { error: r.error };
    values[name] = r.value;
  }
  if (!(values.lrMax > values.lrMin)) return { error: 'lr from must be below lr to' };
  if (!Number.isInteger(values.steps) || values.steps < MIN_FINDER_STEPS) return { error: `steps: a whole number >= ${MIN_FINDER_STEPS}` };
  return { values };
}

async function start() {
  $('fd-err').textContent = '';
  const read = readBoxes();
  if (read.error) {
    $('fd-err').textContent = read.error;
    return;
  }
  const { lrMin, lrMax, steps } = read.values;
  const { lrChanges, ...cfg } = currentConfig();
  // one evaluation at the end: the finder is about the per-step loss
  const run = { ...cfg, schedule: 'finder', lrMin, lrMax, steps, evalEvery: steps };
  $('fd-run').disabled = true;
  try {
    const { id } = await api.create(run);
    api.label(id, { name: `LR finder ${fmtNum(lrMin)}..${fmtNum(lrMax)}` }).catch(() => {});
    bus.emit('runs:refresh');
    go(links.finder(id));
  } catch (e) {
    $('fd-err').textContent = (e instanceof ApiError && e.field ? `${e.field}: ` : '') + e.message;
  } finally {
    renderStart();
  }
}

async function poll(id) {
  clearTimeout(timer);
  if (id !== openId) return;
  let r;
  try {
    r = await api.lrFinder(id);
  } catch (e) {
    if (id === openId) $('fd-err').textContent = `Run ${id}: ${e.message}`;
    return;
  }
  if (id !== openId) return;
  draw(r);
  if (!TERMINAL.includes(r.status)) timer = setTimeout(() => poll(id), 400);
}

function draw(r) {
  const pts = r.points || [];
  const xs = pts.map((p) => Math.log10(num(p.lr)));
  const raw = pts.map((p) => num(p.loss));
  const smooth = pts.map((p) => num(p.smoothed));
  // the raw loss of a diverging step can be huge: keep the axis on what the smoothed curve shows
  const cap = Math.max(...smooth.filter(Number.isFinite), 0) * 1.5;
  const marks = { v: [], dots: [] };
  suggestion = num(r.suggestion);
  if (suggestion > 0) marks.v.push({ x: Math.log10(suggestion), label: `suggested ${fmtNum(roundLr(suggestion))}`, color: '#0c8a5f' });
  if (num(r.minLr) > 0) marks.dots.push({ x: Math.log10(num(r.minLr)), y: num(r.minSmoothed), label: `min ${fmtNum(roundLr(num(r.minLr)))}`, color: '#e8590c' });
  chart.set(xs, [raw.map((v) => (Number.isFinite(v) && cap > 0 ? Math.min(v, cap) : null)), smooth.map((v) => (Number.isFinite(v) ? v : null))], marks);
  $('fd-status').textContent = r.status;
  $('fd-status').dataset.status = r.status;
  $('fd-run-link').textContent = `run ${r.run}`;
  $('fd-run-link').href = links.run(r.run);
  $('fd-range').textContent = `lr ${fmtNum(num(r.lrMin))} → ${fmtNum(num(r.lrMax))} over ${r.steps} steps · ${pts.length} points`;
  $('fd-rule').textContent = r.rule ? `Rule: ${r.rule}.` : '';
  const done = TERMINAL.includes(r.status);
  if (suggestion > 0) {
    $('fd-suggest').textContent = `suggested learning rate ${fmtNum(roundLr(suggestion))}` + (done ? '' : ' (so far)');
    $('fd-use').disabled = false;
  } else {
    $('fd-suggest').textContent = done ? 'no suggestion: too few points' : 'waiting for points…';
    $('fd-use').disabled = true;
  }
  $('fd-chart').dataset.suggestion = suggestion > 0 ? String(suggestion) : '';
}

function useIt() {
  if (!(suggestion > 0)) return;
  const lr = roundLr(suggestion);
  bus.emit('form:set', { name: 'lr', value: lr });
  bus.emit('notice', { text: `The learning rate control is now ${fmtNum(lr)}.`, kind: 'info' });
}

function open(id) {
  clearTimeout(timer);
  openId = id;
  $('fd-result').hidden = !id;
  if (id) poll(id);
}

function build() {
  const root = $('finder-view');
  const p = el('div', { class: 'panel' });
  const head = el('div', { class: 'panel-head' });
  head.append(el('h2', {}, 'LR finder'), el('span', { class: 'muted', id: 'fd-model' }));
  const form = el('div', { class: 'row wrap sweep-row' });
  const box = (id, value, label) => [el('label', { class: 'ctl', for: id }, label), el('input', { id, class: 'val', value, autocomplete: 'off', 'aria-label': label })];
  form.append(...box('fd-min', '', 'lr from'), ...box('fd-max', '', 'to'), ...box('fd-steps', String(FINDER_STEPS), 'steps K'),
    el('button', { type: 'button', class: 'primary', id: 'fd-run', onclick: start }, 'Run LR finder'));
  p.append(head, el('p', { class: 'muted tiny' }, "The learning rate grows exponentially from the first value to the second over K steps (the lecture's lre = linspace(-3, 0)); the run stops early once the smoothed loss passes 4x its minimum. It is stored as a run."),
    form, el('div', { class: 'err', id: 'fd-err', role: 'alert' }));
  const res = el('div', { class: 'panel', id: 'fd-result', hidden: true });
  const rh = el('div', { class: 'panel-head' });
  rh.append(el('h2', {}, 'Loss vs log10(lr)'), el('span', { class: 'pill', id: 'fd-status' }, '…'), el('a', { id: 'fd-run-link', href: '#' }), el('span', { class: 'muted', id: 'fd-range' }));
  const use = el('div', { class: 'row wrap sweep-row' });
  use.append(el('span', { class: 'strong', id: 'fd-suggest' }), el('button', { type: 'button', class: 'primary', id: 'fd-use', disabled: true, onclick: useIt }, 'Use this'));
  res.append(rh, el('div', { id: 'fd-chart', class: 'chart' }), use, el('p', { class: 'muted', id: 'fd-rule' }));
  root.append(p, res);
  chart = new CurveChart($('fd-chart'), {
    xLabel: 'log10(lr)', yLabel: 'loss', height: 280, xValue: (v) => `${v.toFixed(2)} (lr ${fmtNum(10 ** v)})`,
    series: [{ label: 'loss', color: '#a5c0e6', width: 1 }, { label: 'smoothed', color: '#2f6fde', width: 2.5 }],
  });
}

export function initFinder() {
  build();
  bus.on('route', (route) => {
    if (route.name !== 'finder') {
      open(null);
      return;
    }
    renderStart();
    open(route.id);
  });
  bus.on('form', () => store.route.name === 'finder' && renderStart());
  // an LR finder run opened as a run (from the list): a way to its curve
  bus.on('run', (r) => {
    const note = $('finder-note');
    const finder = !!(r && r.config && r.config.schedule === 'finder');
    note.hidden = !finder;
    if (finder && note.dataset.run !== r.id) {
      note.dataset.run = r.id;
      note.textContent = 'This is an LR finder run: ';
      note.append(el('a', { href: links.finder(r.id), id: 'finder-open' }, 'open its loss vs learning-rate curve and suggestion'));
    }
  });
}
