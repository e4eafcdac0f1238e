// #/sweeps/{id}: one sweep, read-only and live from /ws/sweeps/{id}. One field: final train/dev against the
// value; two: a dev heatmap over the grid; three or more: parallel coordinates over the fields that vary, and for two
// or more the server's estimate of which field mattered (refetched as points finish). The best group is recomputed here from the points as they arrive (the
// server's rule: lowest mean final dev over finished runs, its lowest-dev run), so the plot moves the moment a
// point message lands. Share link, re-run link (the definition), stop, delete (confirmed), test once, export.

import { api, sweepSocket } from '../api.js';
import { bus, store, go, links, datasetName, model } from '../state.js';
import { SweepPlot } from '../charts/sweep-plot.js';
import { SweepGrid } from '../charts/sweep-grid.js';
import { ParallelCoords } from '../charts/parallel-coords.js';
import { renderImportance } from '../charts/importance-bars.js';
import { ashaPanel, renderAsha } from '../asha-rungs.js';
import { $, el, clear, num, fmtLoss, fmtNum, fmtTime, frameThrottle, debounce } from '../util.js';

const fin = (v) => v != null && Number.isFinite(v);
let socket = null;
let openId = null;
let sweep = null; // the sweep view, points kept current by index
let chart = null;
const armed = new Map(); // button -> the timer that disarms its confirmation

function normPoint(p) {
  return { ...p, train: num(p.train), dev: num(p.dev), bestDev: num(p.bestDev) };
}

/** Groups (points sharing swept values) and the best, from the points: the server's rule, applied at once. */
export function summarize(points, fields) {
  const groups = new Map();
  for (const p of points) {
    const params = Object.fromEntries(fields.map((f) => [f, p.params[f]])); // a point's params also name its seed
    if (!groups.has(p.group)) groups.set(p.group, { group: p.group, params, points: [], finished: 0 });
    groups.get(p.group).points.push(p.index);
  }
  for (const g of groups.values()) {
    const done = points.filter((p) => p.group === g.group && p.status === 'finished' && fin(p.dev));
    g.finished = done.length;
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    g.devMean = done.length ? mean(done.map((p) => p.dev)) : null;
    const trains = done.map((p) => p.train).filter(fin);
    g.trainMean = trains.length ? mean(trains) : null;
    g.devStd = done.length > 1 ? Math.sqrt(done.reduce((a, p) => a + (p.dev - g.devMean) ** 2, 0) / (done.length - 1)) : null;
  }
  let best = null;
  for (const g of groups.values()) {
    if (g.finished && (!best || g.devMean < best.g.devMean)) best = { g };
  }
  if (best) {
    const run = points.filter((p) => p.group === best.g.group && p.status === 'finished' && fin(p.dev)).sort((a, b) => a.dev - b.dev)[0];
    best = { index: run.index, group: best.g.group, params: best.g.params, run: run.run, train: run.train, dev: run.dev, devMean: best.g.devMean, devStd: best.g.devStd };
  }
  return { groups: [...groups.values()], best };
}

const render = frameThrottle(() => renderNow());
// the run list follows the sweep's points, at most a few times a second (a count sweep lands 20 points at once)
const refreshRuns = debounce(() => bus.emit('runs:refresh'), 300);

// the importance is the server's (one method, one place): fetched again once finished points have changed
const refreshImportance = debounce(async () => {
  const id = openId;
  if (!id) return;
  try {
    const v = await api.sweep(id);
    if (sweep && openId === id) {
      sweep.importance = v.importance;
      render();
    }
  } catch (e) {
    // the last estimate stays; a reconnecting socket's snapshot brings a fresh one
  }
}, 400);

/** Parallel coordinates: an axis per swept field whose points take more than one value, then dev. */
function coordsOf(def, points) {
  const axes = def.params.filter((p) => new Set(points.map((x) => x.params[p.field])).size > 1)
    .map((p) => ({ key: p.field, label: p.field, log: (p.scale || p.range?.scale) === 'log' }));
  axes.push({ key: 'dev', label: 'dev', log: false });
  const lines = points.map((p) => ({
    index: p.index, run: p.run, status: p.status, label: p.run ? runName(p.run) : `point ${p.index}`,
    values: { ...Object.fromEntries(axes.slice(0, -1).map((a) => [a.key, Number(p.params[a.key])])), dev: p.dev },
  }));
  return { axes, points: lines };
}

function runName(id) {
  const r = store.runs.find((x) => x.id === id);
  return (r && r.name) || id;
}

function renderNow() {
  if (!sweep) return;
  const s = sweep;
  const def = s.definition || { params: [], seeds: 1 };
  const fields = def.params.map((p) => p.field);
  const { groups, best } = summarize(s.points, fields);
  $('sw-title').textContent = `Sweep ${s.id}`;
  $('sw-status').textContent = s.status;
  $('sw-status').dataset.status = s.status;
  const counts = {};
  for (const p of s.points) counts[p.status] = (counts[p.status] || 0) + 1;
  $('sw-counts').textContent = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(' · ');
  const b = def.base || {};
  const m = model(b.model);
  $('sw-what').textContent = `${m ? m.title : b.model} on ${datasetName(b.dataset)} · `
    + def.params.map((p) => (p.range ? `${p.field} ~ [${fmtNum(p.range.lo)}, ${fmtNum(p.range.hi)}]${p.range.scale === 'log' ? ' (log)' : ''}`
      : `${p.field} ∈ {${p.values.map(fmtNum).join(', ')}}${p.scale === 'log' ? ' (log)' : ''}`)).join(' x ')
    + (def.search ? ` · ${def.search.kind}: ${def.search.trials} trials${def.search.eta ? `, eta ${def.search.eta}` : ''}` : '')
    + (def.seeds > 1 ? ` · ${def.seeds} seeds per point` : '') + (def.prune ? ` · pruning: median + ${def.prune.margin} nats` : '')
    + ` · created ${fmtTime(s.created)}`;
  const bestBox = $('sw-best');
  if (best) {
    const where = Object.entries(best.params).map(([k, v]) => `${k} = ${fmtNum(v)}`).join(', ');
    bestBox.textContent = `best: ${where} · dev ${fmtLoss(best.devMean)}${fin(best.devStd) ? ` ± ${best.devStd.toFixed(4)}` : ''}`
      + ` · train ${fmtLoss(best.train)} · run ${runName(best.run)}`;
    bestBox.dataset.index = String(best.index);
    bestBox.dataset.run = best.run;
  } else {
    bestBox.textContent = 'best: no finished point yet';
    bestBox.dataset.index = '';
    bestBox.dataset.run = '';
  }
  $('sw-rule').textContent = s.best && s.best.rule ? `(${s.best.rule})` : '';
  // actions
  const live = s.status === 'running';
  $('sw-stop').disabled = !live;
  $('sw-delete').disabled = live;
  $('sw-rerun').href = links.rerunSweep(def);
  $('sw-csv').href = api.sweepExportUrl(s.id, 'csv');
  $('sw-json').href = api.sweepExportUrl(s.id, 'json');
  renderTest(best);
  // plot
  const wrap = $('sw-plot');
  if (fields.length === 1) {
    if (!(chart instanceof SweepPlot)) {
      clear(wrap);
      chart = new SweepPlot(wrap, { onOpen: (id) => go(links.run(id)) });
    }
    chart.set({ field: fields[0], scale: def.params[0].scale || def.params[0].range?.scale, points: s.points.map((p) => ({ ...p, runLabel: p.run && runName(p.run) })), groups, best });
  } else if (fields.length === 2) {
    if (!(chart instanceof SweepGrid)) {
      clear(wrap);
      chart = new SweepGrid(wrap, { onOpen: (id) => go(links.run(id)) });
    }
    chart.set({ fields, values: def.params.map((p) => [...(p.values || new Set(s.points.map((q) => q.params[p.field])))].sort((x, y) => x - y)), points: s.points, groups, best });
  } else {
    if (!(chart instanceof ParallelCoords)) {
      clear(wrap);
      chart = new ParallelCoords(wrap, { onOpen: (id) => go(links.run(id)) });
    }
    chart.set(coordsOf(def, s.points));
  }
  $('sw-plot-title').textContent = fields.length > 2 ? 'Parallel coordinates' : 'Final NLL vs value';
  $('sw-plot-note').textContent = fields.length > 2
    ? 'one line per run with a dev, coloured by dev (dark is low; the dev axis is the scale); drag along an axis to keep a range, click an axis to clear it; click a line to open its run; dashed: still training'
    : fields.length === 2
      ? 'dev NLL (mean over seeds) per cell, darker is lower; the best cell outlined; dashed cells are still training'
      : 'dots: each run; lines: means over seeds; bars: ± one standard deviation; hollow: still training (latest dev); shaded: the train-dev gap';
  $('sw-imp-panel').hidden = fields.length < 2;
  if (fields.length >= 2) renderImportance($('sw-imp'), s.importance);
  renderTable(fields, best);
  renderAsha(s);
}

function renderTest(best) {
  const t = sweep.test;
  const box = $('sw-test-result');
  if (t) {
    box.textContent = `test ${fmtLoss(num(t.loss))} · run ${runName(t.run)} · scored ${fmtTime(t.scoredAt)} (kept for good)`;
    box.className = 'strong';
    $('sw-test-btn').hidden = true;
    $('sw-test-warn').hidden = true;
  } else {
    box.textContent = best ? 'not scored' : 'no finished point to score yet';
    box.className = 'muted';
    $('sw-test-btn').hidden = false;
    $('sw-test-btn').disabled = !best || sweep.status === 'running';
    $('sw-test-btn').title = sweep.status === 'running' ? 'wait until the sweep has ended' : '';
  }
}

function renderTable(fields, best) {
  const tbody = clear($('sw-points'));
  const head = clear($('sw-points-head'));
  for (const h of ['#', ...fields, 'status', 'step', 'train', 'dev', 'gap', 'run']) head.append(el('th', { class: ['#', 'step', 'train', 'dev', 'gap'].includes(h) ? 'num' : '' }, h));
  for (const p of sweep.points) {
    const tr = el('tr', { class: best && best.index === p.index ? 'best' : '', dataset: { index: p.index, status: p.status } });
    tr.append(el('td', { class: 'num' }, p.index));
    for (const f of fields) tr.append(el('td', { class: 'mono' }, fmtNum(p.params[f])));
    const st = el('td');
    st.append(el('span', { class: 'pill small', dataset: { status: p.status }, title: p.message || '' }, p.status));
    const runCell = el('td');
    if (p.run) runCell.append(el('a', { href: links.run(p.run), class: 'mono' }, runName(p.run)));
    tr.append(st, el('td', { class: 'num' }, p.step ?? ''), el('td', { class: 'num' }, fmtLoss(p.train)),
      el('td', { class: 'num strong' }, fmtLoss(p.dev)), el('td', { class: 'num' }, fin(p.dev) && fin(p.train) ? (p.dev - p.train).toFixed(4) : '—'), runCell);
    tbody.append(tr);
  }
}

function onMessage(m) {
  switch (m.type) {
    case 'snapshot':
      sweep = { ...m.sweep, points: m.sweep.points.map(normPoint) };
      break;
    case 'point': {
      if (!sweep) return;
      const p = normPoint(m.point);
      const i = sweep.points.findIndex((x) => x.index === p.index);
      if (i >= 0) sweep.points[i] = p;
      else sweep.points.push(p);
      $('sweep-view').dataset.lastPointAt = String(performance.now());
      refreshRuns();
      break;
    }
    case 'summary':
      if (!sweep) return;
      if (sweep.status !== m.status) refreshRuns();
      if ((m.counts || {}).finished !== (sweep.counts || {}).finished) refreshImportance();
      Object.assign(sweep, { status: m.status, counts: m.counts, test: m.test, best: m.best || sweep.best });
      break;
    case 'deleted':
      bus.emit('notice', { text: `Sweep ${m.id} was deleted.`, kind: 'info' });
      close();
      go(links.sweeps(), { replace: true });
      return;
    default:
      return;
  }
  render();
}

function close() {
  if (socket) socket.close();
  socket = null;
  openId = null;
  sweep = null;
}

function open(id) {
  if (id === openId) return;
  close();
  chart = null;
  clear($('sw-plot'));
  clear($('sw-points'));
  $('sw-title').textContent = `Sweep ${id}`;
  $('sw-best').textContent = 'connecting…';
  openId = id;
  delete $('sweep-view').dataset.lastPointAt;
  socket = sweepSocket(id, onMessage, (why) => {
    bus.emit('error', `Cannot open sweep ${id}: ${why}`);
    openId = null;
  });
}

async function act(fn, what) {
  $('sw-err').textContent = '';
  try {
    return await fn();
  } catch (e) {
    $('sw-err').textContent = `${what}: ${e.message}`;
    return null;
  }
}

/**
 * A destructive button asks once more, naming what it will do (`question`); a second click within 4 s confirms.
 * True when this click is the confirming one.
 */
function confirmed(btn, label, question) {
  if (!armed.has(btn)) {
    btn.textContent = `${question()}? click again`;
    armed.set(btn, setTimeout(() => {
      armed.delete(btn);
      btn.textContent = label;
    }, 4000));
    return false;
  }
  clearTimeout(armed.get(btn));
  armed.delete(btn);
  btn.textContent = label;
  return true;
}

async function onStop() {
  const left = () => (sweep ? sweep.points.filter((p) => ['running', 'queued', 'pending'].includes(p.status)).length : 0);
  if (!confirmed($('sw-stop'), 'Stop sweep…', () => `Stop the sweep (${left()} point${left() === 1 ? '' : 's'} not finished)`)) return;
  await act(() => api.stopSweep(openId), 'Cannot stop');
}

async function onDelete() {
  if (!confirmed($('sw-delete'), 'Delete…', () => `Delete the sweep and its ${sweep ? sweep.points.length : ''} runs`)) return;
  const id = openId;
  const ok = await act(() => api.deleteSweep(id).then(() => true), 'Cannot delete');
  if (ok) {
    close();
    bus.emit('runs:refresh');
    go(links.sweeps(), { replace: true });
  }
}

async function onTest() {
  $('sw-test-warn').hidden = true;
  const r = await act(() => api.testSweep(openId), 'Cannot score on test');
  if (r && sweep) {
    sweep.test = { run: r.run, loss: r.loss, scoredAt: r.scoredAt };
    render();
  }
}

async function copyLink() {
  const url = location.href.split('#')[0] + links.sweep(openId);
  $('sw-share').value = url;
  $('sw-share-box').hidden = false;
  try {
    await navigator.clipboard.writeText(url);
    $('sw-share-note').textContent = 'copied: it opens this sweep, read-only';
  } catch (e) {
    $('sw-share-note').textContent = 'select and copy it: it opens this sweep, read-only';
  }
}

function build() {
  const root = $('sweep-view');
  const head = el('div', { class: 'panel' });
  const top = el('div', { class: 'panel-head' });
  top.append(el('h2', { id: 'sw-title' }, 'Sweep'), el('span', { class: 'pill', id: 'sw-status' }, '…'), el('span', { class: 'muted', id: 'sw-counts' }));
  const actions = el('div', { class: 'row wrap sweep-actions' });
  actions.append(
    el('button', { type: 'button', class: 'small', id: 'sw-copy', onclick: copyLink }, 'Copy link'),
    el('a', { class: 'btn-link small', id: 'sw-rerun', href: '#', title: 'the same definition in the sweep form: change anything, run it again' }, 'Re-run…'),
    el('a', { class: 'btn-link small', id: 'sw-csv', href: '#', download: '', title: 'every point: run, name, config columns, step, split, loss, lr' }, 'Export CSV'),
    el('a', { class: 'btn-link small', id: 'sw-json', href: '#', download: '' }, 'Export JSON'),
    el('a', { class: 'btn-link small', href: links.sweeps() }, 'All sweeps'));
  const share = el('div', { class: 'notice share', id: 'sw-share-box', hidden: true });
  share.append(el('input', { id: 'sw-share', readonly: true, spellcheck: 'false', 'aria-label': 'share link' }), el('span', { class: 'muted', id: 'sw-share-note' }));
  // a shared link opens the sweep to look at: what stops, deletes or scores it sits behind one more step, and
  // each of those asks once more, naming what it will do
  const control = el('details', { class: 'control', id: 'sw-control' });
  const controls = el('div', { class: 'row wrap sweep-actions' });
  controls.append(el('button', { type: 'button', class: 'small', id: 'sw-stop', onclick: onStop }, 'Stop sweep…'),
    el('button', { type: 'button', class: 'small danger', id: 'sw-delete', onclick: onDelete }, 'Delete…'));
  control.append(el('summary', { id: 'sw-control-open' }, 'Control this sweep…'), controls);
  head.append(top, el('div', { class: 'muted', id: 'sw-what' }), actions, control, share,
    el('div', { class: 'sw-best strong', id: 'sw-best' }), el('div', { class: 'muted tiny', id: 'sw-rule' }), el('div', { class: 'err', id: 'sw-err', role: 'alert' }));
  const test = el('section', { class: 'test-box', id: 'sw-test' });
  const warn = el('div', { class: 'warn', id: 'sw-test-warn', hidden: true });
  const wr = el('div', { class: 'row' });
  wr.append(el('button', { type: 'button', class: 'danger', id: 'sw-test-confirm', onclick: onTest }, 'Score test set'),
    el('button', { type: 'button', id: 'sw-test-cancel', onclick: () => ($('sw-test-warn').hidden = true) }, 'Cancel'));
  warn.append(document.createTextNode('Score the best point on the test split once, at the very end: the sweep keeps this first score even if the best changes.'), wr);
  test.append(el('h2', {}, 'Test set'), el('div', { id: 'sw-test-result', class: 'muted' }, 'not scored'));
  const testRow = el('div', { class: 'row' });
  testRow.append(el('button', { type: 'button', id: 'sw-test-btn', onclick: () => ($('sw-test-warn').hidden = false) },
    'Score the best point on test…'));
  control.append(testRow, warn);
  head.append(test);

  const plot = el('div', { class: 'panel' });
  const ph = el('div', { class: 'panel-head' });
  ph.append(el('h2', { id: 'sw-plot-title' }, 'Final NLL vs value'), el('span', { class: 'muted legend-note', id: 'sw-plot-note' }));
  plot.append(ph, el('div', { class: 'sweep-wrap', id: 'sw-plot' }));

  const imp = el('div', { class: 'panel', id: 'sw-imp-panel', hidden: true });
  const ih = el('div', { class: 'panel-head' });
  ih.append(el('h2', {}, 'Which field mattered'), el('span', { class: 'muted legend-note' }, 'each field\'s share of the variance of final dev'));
  imp.append(ih, el('div', { class: 'imp', id: 'sw-imp' }));

  const table = el('div', { class: 'panel' });
  const th = el('div', { class: 'panel-head' });
  th.append(el('h2', {}, 'Points'), el('span', { class: 'muted' }, 'latest whole-split evaluations (final once a point ended)'));
  const wrap = el('div', { class: 'table-wrap' });
  const t = el('table', { class: 'compare sweep-points' });
  const thead = el('thead');
  thead.append(el('tr', { id: 'sw-points-head' }));
  t.append(thead, el('tbody', { id: 'sw-points' }));
  wrap.append(t);
  table.append(th, wrap);
  root.append(head, plot, ashaPanel(), imp, table);
}

export function initSweepView() {
  build();
  bus.on('route', (route) => (route.name === 'sweep' ? open(route.id) : close()));
  bus.on('runs', () => sweep && render());
}
