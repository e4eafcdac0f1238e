// Layer health of the run on show (lecture 3's diagnostics, computed by the server at step 0 and every
// evaluation): per layer activation mean/std, % saturated tanh units, gradient mean/std, and per weight matrix the
// update:data ratio (log10, guide line at -3), over steps; the activation and gradient histograms at the latest
// evaluation. Reads the record's `health` ({series, latest}) and the stream's `health` events (kept in the record
// by live.js); hides itself for runs without it (count models, older runs).
// A click on a layer in the legend hides it from the chart and the histograms, whose x-range then spans the shown
// layers only: a transformer's residual streams (std ~1.5) otherwise squeeze its attention and GELU layers into a
// spike. The choice holds while the run streams and resets when another run opens.
// Tanh layers also get lecture 3's |h| > 0.99 image (white = saturated) at step 0 and at an evaluation the user
// picks (the latest by default), with the units saturated on every row ("dead"). The note under the title fits the
// model: tanh and Kaiming talk only where there are tanh layers.

import { bus } from '../state.js';
import { HealthChart, drawHistograms } from '../charts/health-chart.js';
import { colorAt } from '../charts/loss-chart.js';
import { drawSaturation } from '../charts/saturation-image.js';
import { $, el, clear, num } from '../util.js';

const METRICS = [
  { key: 'std', label: 'activation std', of: 'layers', help: 'spread of each layer\'s outputs' },
  { key: 'mean', label: 'activation mean', of: 'layers' },
  { key: 'saturated', label: '% saturated', of: 'layers', help: 'tanh outputs with |value| > 0.97: their gradient is nearly 0' },
  { key: 'gradStd', label: 'gradient std', of: 'layers' },
  { key: 'gradMean', label: 'gradient mean', of: 'layers' },
  { key: 'updateRatio', label: 'update:data (log10)', of: 'weights', guide: -3, help: 'log10(std(update) / std(weight)) per weight matrix; about -3 is healthy' },
];

let metric = 'std';
let chart = null;
let shownKey = '';
let last = null;
let hidden = new Set(); // names of the layers (or weight series) the user hid, for run hiddenOf
let hiddenOf = null;
let view = null; // what the latest render drew: {order, hists}
let satStep = null; // the evaluation whose saturation image is on show; null: the latest

const TANH_NOTE = 'measured at step 0 and at every evaluation on a batch apart from training; naive init saturates tanh, Kaiming (and BatchNorm) keeps it alive';
const NOTES = {
  transformer: 'measured at step 0 and at every evaluation on a batch apart from training; LayerNorm and the residual stream keep the activations in range, so watch the attention and GELU layers\' spread and each weight\'s update:data ratio',
  rnn: 'measured at step 0 and at every evaluation on a batch apart from training; a recurrent state passes through the same weights at every position, so watch its spread and gradients shrink or grow along the sequence',
};

/** The note under the title: what to look for in this model's layers. */
export function healthNote(model, layers) {
  if ((layers || []).some((l) => l.kind === 'tanh')) return TANH_NOTE;
  if (model === 'transformer') return NOTES.transformer;
  if (model === 'rnn' || model === 'gru') return NOTES.rnn;
  return 'measured at step 0 and at every evaluation on a batch apart from training: each layer\'s spread and gradients, and each weight\'s update:data ratio';
}

function seriesOf(health, m) {
  const events = health.series || [];
  const steps = events.map((e) => e.step);
  const names = [];
  for (const e of events) for (const x of e[m.of] || []) if (!names.includes(x.name)) names.push(x.name);
  const series = [];
  for (const name of names) {
    const values = events.map((e) => {
      const x = (e[m.of] || []).find((y) => y.name === name);
      const v = x ? num(x[m.key]) : null;
      return v != null && Number.isFinite(v) ? v : null;
    });
    if (values.some((v) => v != null)) series.push({ label: name, values });
  }
  return { steps, series };
}

function stats(layer) {
  const f = (v) => (v == null ? '—' : num(v).toFixed(3));
  return `mean ${f(layer.mean)}, std ${f(layer.std)}${layer.saturated != null ? `, saturated ${num(layer.saturated).toFixed(1)}%` : ''}`
    + ` · grad mean ${num(layer.gradMean).toExponential(1)}, std ${num(layer.gradStd).toExponential(1)}`;
}

function render(r) {
  const health = r && r.health;
  const has = !!(health && ((health.series && health.series.length) || health.latest));
  $('health-panel').hidden = !has;
  // any other run, with health or not, ends the choice of hidden layers
  if ((r && r.id) !== hiddenOf) {
    hidden = new Set();
    satStep = null;
    hiddenOf = r && r.id;
  }
  if (!has) {
    shownKey = '';
    return;
  }
  const latest = health.latest || health.series[health.series.length - 1];
  $('health-note').textContent = healthNote(r.config && r.config.model, latest && latest.layers);
  renderSaturation(health.series || []);
  const key = `${r.id}|${(health.series || []).length}|${latest && latest.step}|${metric}`;
  if (key === shownKey) return;
  shownKey = key;
  // statistics this model reports (an autograd model without taps has weights only): the others are disabled, and
  // the chart falls back to the first one it has
  const avail = new Map(METRICS.map((x) => [x.key, seriesOf(health, x).series.length > 0]));
  for (const b of $('health-metric').querySelectorAll('button')) {
    b.disabled = !avail.get(b.dataset.metric);
    b.title = b.disabled ? "this model's health has no such statistic" : METRICS.find((x) => x.key === b.dataset.metric).help || '';
  }
  const m = METRICS.find((x) => x.key === metric && avail.get(x.key)) || METRICS.find((x) => avail.get(x.key)) || METRICS[0];
  for (const b of $('health-metric').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.metric === m.key));
  const { steps, series } = seriesOf(health, m);
  chart.set(steps, series, m.guide ?? null, m.label);
  $('health-empty').hidden = series.length > 0;
  $('health-empty').textContent = series.length ? '' : `no ${m.label} for this model's layers`;
  $('health-step').textContent = latest ? `latest: step ${latest.step}` : '';
  const hists = latest.histograms || [];
  view = { order: (latest.layers || []).map((l) => l.name), hists };
  $('health-hists').hidden = hists.length === 0;
  $('health-hists-head').hidden = hists.length === 0;
  const legend = clear($('health-legend'));
  for (const [i, l] of (latest.layers || []).entries()) {
    const li = el('li', { dataset: { layer: l.name } });
    const b = el('button', { type: 'button', class: 'layer-toggle', 'aria-pressed': 'true', onclick: () => toggle(l.name, hidden.has(l.name)) });
    b.append(el('span', { class: 'swatch', style: `background:${colorAt(i, latest.layers.length)}` }), el('span', { class: 'mono' }, `${l.name} (${l.kind})`));
    li.append(b, el('span', { class: 'muted' }, ` ${stats(l)}`));
    legend.append(li);
  }
  applyFocus();
}

/** The images of step 0 and of the chosen evaluation, per tanh layer; hidden for models without any. */
function renderSaturation(series) {
  const withImage = series.filter((e) => (e.layers || []).some((l) => l.image));
  $('health-sat').hidden = withImage.length === 0;
  if (!withImage.length) return;
  const steps = withImage.map((e) => e.step);
  const sel = $('health-sat-step');
  const later = steps.filter((s) => s !== steps[0]);
  if (sel.dataset.steps !== later.join(',')) {
    clear(sel);
    for (const s of later) sel.append(el('option', { value: String(s) }, `step ${s}`));
    sel.dataset.steps = later.join(',');
  }
  const chosen = later.includes(satStep) ? satStep : later[later.length - 1];
  if (chosen != null) sel.value = String(chosen);
  sel.hidden = later.length === 0;
  const shownSteps = chosen != null ? [steps[0], chosen] : [steps[0]];
  const key = `${shownSteps.join(',')}|${series.length}`;
  const box = $('health-sat-images');
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  clear(box);
  for (const step of shownSteps) {
    const e = withImage.find((x) => x.step === step);
    for (const l of e.layers.filter((x) => x.image)) {
      const im = l.image;
      const fig = el('figure', { class: 'sat-fig', dataset: { step: String(step), layer: l.name, dead: String(im.dead) } });
      const canvas = el('canvas', { class: 'sat-img', 'aria-label': `${l.name} at step ${step}: white where |h| > ${im.threshold}` });
      drawSaturation(canvas, im);
      const pct = (100 * im.saturatedCells) / Math.max(1, im.rows * im.units);
      fig.append(el('figcaption', { class: 'tiny' }, `${l.name} · step ${step} · ${im.dead} dead of ${im.units}`
        + `${im.units < im.unitsTotal ? ` shown (${im.unitsTotal} units)` : ''} · ${pct.toFixed(1)}% white`), canvas);
      box.append(fig);
    }
  }
}

function toggle(name, show) {
  if (show) hidden.delete(name);
  else hidden.add(name);
  applyFocus();
}

// Draws the histograms of the shown layers (coloured by layer as in the legend below them), and marks the legend,
// the chart's series and the "show all" control to match.
function applyFocus() {
  if (!view) return;
  const draw = (canvas, of, title) => {
    const all = view.hists.filter((x) => x.of === of);
    const shown = all.filter((x) => !hidden.has(x.layer));
    drawHistograms(canvas, shown, view.order, shown.length < all.length ? `${title} · ${shown.length} of ${all.length} layers` : title);
  };
  draw($('health-act'), 'activation', 'activations');
  draw($('health-grad'), 'gradient', 'gradients');
  for (const li of $('health-legend').children) {
    const off = hidden.has(li.dataset.layer);
    li.toggleAttribute('data-hidden', off);
    const b = li.querySelector('button');
    b.setAttribute('aria-pressed', String(!off));
    b.title = off ? 'show this layer in the chart and histograms' : 'hide this layer from the chart and histograms';
  }
  $('health-legend-hint').hidden = view.order.length === 0;
  $('health-show-all').hidden = hidden.size === 0;
  chart.setHidden(hidden);
}

function build() {
  const p = $('health-panel');
  const head = el('div', { class: 'panel-head' });
  const seg = el('div', { class: 'seg small wrap', id: 'health-metric', role: 'radiogroup', 'aria-label': 'layer statistic' });
  for (const m of METRICS) {
    seg.append(el('button', { type: 'button', dataset: { metric: m.key }, 'aria-pressed': String(m.key === metric), title: m.help || '',
      onclick: () => {
        metric = m.key;
        for (const b of seg.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.metric === metric));
        shownKey = '';
        render(last);
      } }, m.label));
  }
  head.append(el('h2', {}, 'Layer health'), seg, el('span', { class: 'muted', id: 'health-step' }),
    el('span', { class: 'muted legend-note', id: 'health-note' }, TANH_NOTE));
  const sat = el('div', { id: 'health-sat', hidden: true });
  const satHead = el('div', { class: 'sub-head row wrap' });
  satHead.append(el('span', {}, 'saturated units: |h| > 0.99 on the first rows of the batch (rows) by unit (columns), white = saturated; a column white all the way down is a dead unit'),
    el('select', { id: 'health-sat-step', 'aria-label': 'evaluation to compare with step 0', onchange: (ev) => {
      satStep = Number(ev.target.value);
      delete $('health-sat-images').dataset.key;
      render(last);
    } }));
  sat.append(satHead, el('div', { class: 'sat-images', id: 'health-sat-images' }));
  const legendHead = el('div', { class: 'health-legend-head' });
  legendHead.append(el('span', { class: 'muted', id: 'health-legend-hint' }, 'click a layer to hide or show it'),
    el('button', { type: 'button', class: 'small', id: 'health-show-all', hidden: true, onclick: () => { hidden.clear(); applyFocus(); } }, 'show all layers'));
  const hists = el('div', { class: 'two', id: 'health-hists' });
  for (const id of ['health-act', 'health-grad']) {
    const box = el('div', { class: 'hist-wrap' });
    box.append(el('canvas', { id, class: 'hist' }));
    hists.append(box);
  }
  p.append(head, sat, el('div', { id: 'health-chart', class: 'chart' }), el('p', { class: 'muted', id: 'health-empty', hidden: true }),
    el('div', { class: 'sub-head', id: 'health-hists-head' }, 'histograms at the latest evaluation'), hists,
    legendHead, el('ul', { class: 'health-legend', id: 'health-legend' }));
  chart = new HealthChart($('health-chart'), (label, show) => toggle(label, show));
}

export function initHealth() {
  build();
  bus.on('run', (r) => {
    last = r;
    render(r);
  });
}
