// The compare view (#/compare?ids=a,b,c), independent of any open run: dev curves of the runs (train curves on
// request), count models as horizontal lines, legends by run name, a distinguishable palette, and a config table
// listing only the fields that apply (differences highlighted).

import { api } from '../api.js';
import { bus, store, model, links, datasetName, runLabel, TERMINAL } from '../state.js';
import { normalizeRun } from '../live.js';
import { LossChart, colorAt, ema } from '../charts/loss-chart.js';
import { shown } from '../fields.js';
import { $, el, clear, fmtLoss, fmtNum, fmtInt } from '../util.js';

// past this many the legend and the palette no longer tell runs apart (the run list ticks at most this many to compare)
const COMPARE_MAX = 20;

let chart;
let runs = [];
let ids = [];
let timer = null;
let seq = 0;

async function load() {
  const mine = ++seq;
  const got = [];
  for (const id of ids) {
    try {
      got.push(normalizeRun(await api.run(id)));
    } catch (e) {
      got.push({ id, missing: e.message });
    }
  }
  if (mine !== seq) return;
  runs = got;
  render();
  clearTimeout(timer);
  if (store.route.name === 'compare' && runs.some((r) => !r.missing && !TERMINAL.includes(r.status))) timer = setTimeout(load, 2000);
}

function render() {
  const ok = runs.filter((r) => !r.missing);
  $('compare-empty').hidden = ok.length >= 2;
  const series = [];
  const refs = [];
  ok.forEach((r, i) => {
    const color = colorAt(i, ok.length);
    const dev = r.evals.filter((e) => e.split === 'dev');
    if (!r.config.steps) {
      if (dev.length) refs.push({ label: `${runLabel(r)} dev`, value: dev[dev.length - 1].loss, color, dash: [8, 3] });
      return;
    }
    series.push({ key: `dev-${r.id}`, label: `${runLabel(r)} dev`, color, width: 2, dots: 5, points: dev.map((e) => [e.step, e.loss]) });
    if ($('compare-train').checked) {
      const sm = ema(r.progress.map((p) => p.trainLoss), 0.9);
      series.push({ key: `train-${r.id}`, label: `${runLabel(r)} train`, color, width: 1, dash: [3, 3], points: r.progress.map((p, j) => [p.step, sm[j]]) });
    }
  });
  chart.logY = $('compare-logy').checked;
  chart.set({ series, refs });
  $('compare-chart').dataset.series = String(series.length);
  $('compare-chart').dataset.lines = String(refs.length);
  renderTable(ok);
  for (const r of runs.filter((x) => x.missing)) bus.emit('error', `Compare: ${r.id}: ${r.missing}`);
}

function renderTable(list) {
  const table = clear($('compare-table'));
  if (!list.length) return;
  const head = el('tr');
  head.append(el('th', {}, ''));
  list.forEach((r, i) => {
    const th = el('th', {});
    th.append(el('span', { class: 'swatch', style: `background:${colorAt(i, list.length)}` }), document.createTextNode(runLabel(r)));
    head.append(th);
  });
  const thead = el('thead');
  thead.append(head);
  table.append(thead);
  // every field some run's model reads, in the models' own order
  const names = [];
  for (const r of list) for (const f of model(r.config.model)?.fields || []) if (!names.includes(f.name)) names.push(f.name);
  const cell = (r, k) => {
    const f = model(r.config.model)?.fields.find((x) => x.name === k);
    if (!(k in r.config) || !f || !shown(f, r.config)) return 'n/a'; // not read by this model, or not with its settings
    const v = r.config[k];
    return typeof v === 'number' ? fmtNum(v) : String(v);
  };
  // [label, value, is it config (differences highlighted among the runs it applies to)]
  const rows = [
    ['model', (r) => r.config.model, true],
    ['dataset', (r) => datasetName(r.config.dataset), true],
    ['status', (r) => r.status],
    ['steps done', (r) => fmtInt(r.step)],
    ['best dev', (r) => fmtLoss(r.bestDev)],
    ['test', (r) => (r.test ? fmtLoss(r.test.loss) : '—')],
    ...names.map((k) => [k, (r) => cell(r, k), true]),
    ['lr changes', (r) => String(r.lrChanges.length), true],
    ['note', (r) => r.note || ''],
  ];
  const body = el('tbody');
  for (const [label, get, field] of rows) {
    const vals = list.map(get);
    const applies = vals.filter((v) => v !== 'n/a');
    const differ = field && new Set(applies).size > 1;
    const tr = el('tr', { class: differ ? 'diff' : '', dataset: { field: label } });
    tr.append(el('th', {}, label));
    for (const v of vals) tr.append(el('td', { class: v === 'n/a' ? 'muted' : 'mono' }, v));
    if (field && !applies.length) continue;
    body.append(tr);
  }
  table.append(body);
}

export function initCompare() {
  chart = new LossChart($('compare-chart'), { height: 320, fitRefs: true });
  chart.onZoom = (z) => ($('compare-zoom-reset').disabled = !z);
  $('compare-zoom-reset').addEventListener('click', () => chart.reset());
  $('compare-train').addEventListener('change', render);
  $('compare-logy').addEventListener('change', render);
  bus.on('route', (route) => {
    if (route.name !== 'compare') {
      clearTimeout(timer);
      return;
    }
    ids = route.ids.slice(0, COMPARE_MAX);
    if (route.ids.length > COMPARE_MAX) {
      bus.emit('error', `Compare shows up to ${COMPARE_MAX} runs: these are the first ${COMPARE_MAX} of the link's ${route.ids.length}.`);
    }
    $('compare-explain').href = links.explain(ids.slice(0, 4), '');
    $('compare-next').href = links.next(ids.slice(0, 3), '');
    runs = [];
    chart.reset();
    load();
  });
}
