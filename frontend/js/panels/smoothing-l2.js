// #/smoothing-l2: the lecture's claim that L2 on the neural n-gram acts like add-k smoothing on the counts, seen
// on dev: for one context, the count model's dev against k and the neural n-gram's dev against l2, side by side
// on log axes, each minimum marked, and the count model's k = 0 dev as a reference line.

import { api } from '../api.js';
import { bus, store, field, datasetName, datasetInfo, currentConfig } from '../state.js';
import { inRange, rangeText } from '../fields.js';
import { CurveChart } from '../charts/curve-chart.js';
import { $, el, num, fmtLoss, fmtNum } from '../util.js';

let countChart;
let neuralChart;
let seq = 0;

/** Both curves train at one context: the neural n-gram's range for it (its field spec) bounds the choice. */
function contextRange() {
  const f = field('neural', 'context');
  return f ? [f.min, f.max] : [1, 1];
}

function dataset() {
  const d = store.route.dataset || currentConfig().dataset || 'names';
  return datasetInfo(d) ? d : 'names';
}

let pending = null; // the comparison in flight, aborted when the view is left or asked again

async function compute() {
  const context = Number($('sl-context').value);
  const steps = Number($('sl-steps').value);
  const points = Number($('sl-points').value);
  const ds = dataset();
  $('sl-err').textContent = '';
  const { smoothingL2Steps: stepRange, smoothingL2Points: pointRange } = store.limits;
  if (!Number.isInteger(steps) || !inRange(stepRange, steps)) {
    $('sl-err').textContent = `steps: a whole number in ${rangeText(stepRange)}`;
    return;
  }
  if (!Number.isInteger(points) || !inRange(pointRange, points)) {
    $('sl-err').textContent = `points: a whole number in ${rangeText(pointRange)}`;
    return;
  }
  const mine = ++seq;
  $('sl-state').textContent = `computing ${points} short full-batch runs of the neural n-gram…`;
  $('sl-go').disabled = true;
  if (pending) pending.abort(); // one comparison at a time: the server stops the one nobody waits for
  pending = new AbortController();
  let r;
  try {
    r = await api.smoothingL2({ dataset: ds, context, steps, points }, pending.signal);
  } catch (e) {
    if (e.name === 'AbortError') return;
    if (mine === seq) {
      $('sl-err').textContent = e.message;
      $('sl-state').textContent = '';
      $('sl-go').disabled = false;
    }
    return;
  }
  if (mine !== seq) return;
  $('sl-go').disabled = false;
  const c = r.count;
  const n = r.neural;
  const k0 = num(c.k0Dev);
  countChart.set(c.curve.map((p) => num(p.k)), [c.curve.map((p) => num(p.dev))], {
    dots: [{ x: num(c.min.k), y: num(c.min.dev), label: `min k=${fmtNum(num(c.min.k))}`, color: '#e8590c' }],
    h: Number.isFinite(k0) ? [{ y: k0, label: `k = 0: dev ${fmtLoss(k0)}`, color: '#862e9c' }] : [],
  });
  const finite = n.curve.filter((p) => Number.isFinite(num(p.dev)));
  neuralChart.set(n.curve.map((p) => num(p.l2)), [n.curve.map((p) => (Number.isFinite(num(p.dev)) ? num(p.dev) : null))], {
    dots: n.min ? [{ x: num(n.min.l2), y: num(n.min.dev), label: `min l2=${fmtNum(num(n.min.l2))}`, color: '#e8590c' }] : [],
  });
  $('sl-count-min').textContent = `min dev ${fmtLoss(num(c.min.dev))} at k = ${fmtNum(num(c.min.k))}`;
  $('sl-k0').textContent = Number.isFinite(k0) ? `k = 0: dev ${fmtLoss(k0)}`
    : 'k = 0: dev is infinite (a dev n-gram never occurs in train), so it has no line';
  $('sl-neural-min').textContent = n.min ? `min dev ${fmtLoss(num(n.min.dev))} at l2 = ${fmtNum(num(n.min.l2))}` : 'every point diverged';
  $('sl-state').textContent = `${datasetName(r.dataset)}, context ${r.context}: neural ${n.steps} steps at lr ${fmtNum(num(n.lr))}, ${n.batch} batch`
    + `${finite.length < n.curve.length ? ` · ${n.curve.length - finite.length} diverged` : ''} · ${r.note || ''}`;
  $('smoothing-view').dataset.ready = 'true';
}

function build() {
  const root = $('smoothing-view');
  const p = el('div', { class: 'panel' });
  const head = el('div', { class: 'panel-head' });
  head.append(el('h2', {}, 'Smoothing vs L2'), el('span', { class: 'muted' }, 'the same idea twice: pull the next-character distribution towards uniform'));
  const form = el('div', { class: 'row wrap sweep-row' });
  const ctx = el('select', { id: 'sl-context', 'aria-label': 'context' });
  const [lo, hi] = contextRange();
  for (let c = lo; c <= hi; c++) ctx.append(el('option', { value: c }, c === 1 ? '1 (bigram)' : `${c} (${c + 1}-gram)`));
  ctx.addEventListener('change', compute);
  const box = (id, value, label) => [el('label', { class: 'ctl', for: id }, label), el('input', { id, class: 'val', value, autocomplete: 'off', 'aria-label': label })];
  form.append(el('label', { class: 'ctl', for: 'sl-context' }, 'context'), ctx, ...box('sl-steps', '200', 'neural steps'), ...box('sl-points', '11', 'points'),
    el('button', { type: 'button', id: 'sl-go', onclick: compute }, 'Compute'), el('span', { class: 'muted tiny', id: 'sl-state' }));
  p.append(head, form, el('div', { class: 'err', id: 'sl-err', role: 'alert' }));
  const two = el('div', { class: 'two' });
  const side = (id, title, noteIds) => {
    const s = el('div', { class: 'panel' });
    const h = el('div', { class: 'panel-head' });
    h.append(el('h2', {}, title));
    s.append(h, el('div', { id, class: 'chart' }));
    for (const n of noteIds) s.append(el('div', { class: 'muted tiny', id: n }));
    return s;
  };
  two.append(side('sl-count', 'Count n-gram: dev vs add-k', ['sl-count-min', 'sl-k0']), side('sl-neural', 'Neural n-gram: dev vs L2', ['sl-neural-min']));
  root.append(p, two);
  countChart = new CurveChart($('sl-count'), { xLabel: 'smoothing k (log)', xLog: true, height: 240, series: [{ label: 'dev', color: '#e8590c', width: 2, points: true }] });
  neuralChart = new CurveChart($('sl-neural'), { xLabel: 'l2 (log)', xLog: true, height: 240, series: [{ label: 'dev', color: '#2f6fde', width: 2, points: true }] });
}

export function initSmoothingL2() {
  build();
  bus.on('route', (route) => {
    if (route.name !== 'smoothing') {
      if (pending) pending.abort(); // the view was left: stop computing for it
      pending = null;
      return;
    }
    const cfg = currentConfig();
    // the form's context when it holds an n-gram model; else the bigram, where both sides train in a moment
    const c = route.context || (['ngram', 'neural'].includes(cfg.model) ? cfg.context : 1);
    const [lo, hi] = contextRange();
    $('sl-context').value = String(Math.min(hi, Math.max(lo, Number(c) || lo)));
    compute();
  });
}
