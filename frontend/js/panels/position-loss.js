// Dev NLL by character position (the first character, the second, ..., the end) from a run's saved best-dev
// parameters (GET /api/runs/{id}/loss-by-position): one line for the open run, and one per run in the compare view
// drawn over each other. It shows, for one, that every model pays about the same for the first letter. The open
// run asks again whenever its parameters change (a better dev while it trains); the compare view once per route.

import { api, ApiError } from '../api.js';
import { bus, store, runLabel } from '../state.js';
import { paramsVersion } from '../explain-client.js';
import { drawLines } from '../charts/mini-lines.js';
import { colorAt } from '../charts/loss-chart.js';
import { $, el, num, fmtLoss } from '../util.js';

let runKey = '';
let compareKey = '';
let seq = 0;
const answers = new Map(); // `${id}|${parameter version}` -> the pending or settled answer
let queue = Promise.resolve();

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * The answer for run `id`'s parameters named by `version`, kept; requests go one after another, as the server
 * computes one at a time and answers a second 429.
 */
function fetchPositions(id, version) {
  const key = `${id}|${version}`;
  let answer = answers.get(key);
  if (!answer) {
    answer = queue.then(() => ask(id));
    queue = answer.catch(() => {});
    answers.set(key, answer);
    if (answers.size > 50) answers.delete(answers.keys().next().value);
    answer.catch(() => answers.delete(key));
  }
  return answer;
}

/** Another page may be asking too: a 429 is asked again a little later, a few times. */
async function ask(id) {
  for (let i = 0; ; i++) {
    try {
      return await api.lossByPosition(id);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 429) || i >= 5) throw e;
      await sleep(400 * (i + 1));
    }
  }
}

/** Labels "1", "2", ... up to the longest answer, then "end"; each answer's values on them. */
function align(answers) {
  const longest = Math.max(0, ...answers.map((a) => a.positions.filter((p) => p.position !== 'end').length));
  const labels = [...Array.from({ length: longest }, (_, i) => String(i + 1)), 'end'];
  const values = answers.map((a) => labels.map((l) => {
    const p = a.positions.find((x) => x.position === l);
    return p ? num(p.nll) : null;
  }));
  return { labels, values };
}

async function renderRun(r) {
  const has = !!(r && r.evals && r.evals.some((e) => e.split === 'dev' && Number.isFinite(e.loss)));
  $('position-panel').hidden = !has;
  if (!has) {
    runKey = '';
    return;
  }
  const key = `${r.id}|${paramsVersion(r)}`;
  if (key === runKey) return;
  runKey = key;
  const mine = ++seq;
  $('position-note').textContent = 'computing…';
  let a;
  try {
    a = await fetchPositions(r.id, paramsVersion(r));
  } catch (e) {
    if (mine === seq) $('position-note').textContent = `Cannot compute it: ${e.message}`;
    runKey = '';
    return;
  }
  if (mine !== seq) return;
  const { labels, values } = align([a]);
  const canvas = $('position-chart');
  canvas.dataset.values = JSON.stringify(values[0]);
  canvas.dataset.labels = JSON.stringify(labels);
  $('position-note').textContent = `dev NLL ${fmtLoss(a.nll)} over all positions · the saved best-dev parameters`;
  drawLines(canvas, labels, [{ label: runLabel(r), color: '#4e79a7', values: values[0] }], { yTitle: 'dev NLL' });
}

async function renderCompare(ids) {
  const key = ids.join(',');
  if (key === compareKey) return;
  compareKey = key;
  const panel = $('compare-position-panel');
  panel.hidden = ids.length === 0;
  if (!ids.length) return;
  $('compare-position-note').textContent = 'computing…';
  const got = [];
  const failed = [];
  for (const id of ids) {
    try {
      got.push(await fetchPositions(id, paramsVersion(store.runs.find((r) => r.id === id))));
    } catch (e) {
      failed.push(`${id}: ${e.message}`);
    }
    if (compareKey !== key) return;
  }
  const { labels, values } = align(got);
  const canvas = $('compare-position-chart');
  canvas.dataset.values = JSON.stringify(Object.fromEntries(got.map((a, i) => [a.run, values[i]])));
  canvas.dataset.labels = JSON.stringify(labels);
  const name = (id) => runLabel(store.runs.find((r) => r.id === id) || { id });
  $('compare-position-note').textContent = `each run's saved best-dev parameters${failed.length ? ` · not shown: ${failed.join('; ')}` : ''}`;
  drawLines(canvas, labels, got.map((a, i) => ({ label: name(a.run), color: colorAt(i, got.length), values: values[i] })), { yTitle: 'dev NLL' });
}

function panel(id, title, chartId, noteId) {
  const p = $(id);
  const head = el('div', { class: 'panel-head' });
  head.append(el('h2', {}, title), el('span', { class: 'muted', id: noteId }));
  const wrap = el('div', { class: 'mini-chart' });
  wrap.append(el('canvas', { id: chartId, 'aria-label': 'dev NLL by character position' }));
  p.append(head, el('p', { class: 'muted tiny' }, 'mean −ln p of the dev names\' 1st character, 2nd, ..., and of the end'), wrap);
}

export function initPositionLoss() {
  panel('position-panel', 'Loss by position', 'position-chart', 'position-note');
  panel('compare-position-panel', 'Loss by position', 'compare-position-chart', 'compare-position-note');
  bus.on('run', (r) => renderRun(store.route.name === 'run' ? r : null));
  bus.on('route', (route) => {
    if (route.name === 'compare') renderCompare(route.ids || []);
    else compareKey = '';
  });
}
