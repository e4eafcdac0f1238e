// The dev names the open run finds hardest and easiest (highest and lowest mean NLL per character) at its latest
// evaluation, as the server ranks them at every evaluation (record.devNames, and the stream's `names` events kept
// there by live.js). Choosing a name shows its NLL over the evaluations and explains it with the run's saved
// parameters (explain-strip.js). A name's NLL is known from the first evaluation at which it was listed: the server
// follows every name it has listed since, not all ~3k dev names, and the chart says from where.

import { bus } from '../state.js';
import { ExplainStrip } from '../explain-strip.js';
import { paramsVersion } from '../explain-client.js';
import { drawLines } from '../charts/mini-lines.js';
import { $, el, clear, num, fmtLoss } from '../util.js';

let strip;
let chosen = null;
let last = null;
let shownKey = '';
let shownRun = null; // another run ends the choice of a name

/** Name -> [[step, nll]] at every evaluation where the server had a value for it. */
export function historyOf(entries, text) {
  const out = [];
  for (const e of entries) {
    const v = e.tracked && e.tracked[text] != null ? num(e.tracked[text])
      : num(([...(e.hardest || []), ...(e.easiest || [])].find((x) => x.text === text) || {}).nll);
    if (v != null) out.push([e.step, v]);
  }
  return out;
}

function list(id, items) {
  const ol = clear($(id));
  for (const x of items) {
    const b = el('button', { type: 'button', class: 'name-pick', dataset: { text: x.text, nll: String(num(x.nll)) },
      'aria-pressed': String(x.text === chosen), onclick: () => choose(x.text) });
    b.append(el('span', { class: 'mono' }, x.text), el('span', { class: 'muted' }, ` ${fmtLoss(x.nll)}`));
    const li = el('li');
    li.append(b);
    ol.append(li);
  }
}

function render(r) {
  last = r;
  const entries = (r && r.devNames) || [];
  $('names-panel').hidden = entries.length === 0;
  if (!entries.length) {
    chosen = null;
    shownKey = '';
    strip.clear();
    return;
  }
  const latest = entries[entries.length - 1];
  const key = `${r.id}|${entries.length}|${chosen}`;
  if (key === shownKey) return;
  if (r.id !== shownRun) {
    shownRun = r.id;
    chosen = null;
    strip.clear();
  }
  shownKey = key;
  $('names-step').textContent = `at step ${latest.step}, mean NLL per character (the end included)`;
  list('names-hard', latest.hardest || []);
  list('names-easy', latest.easiest || []);
  drawChosen(entries);
}

function drawChosen(entries) {
  const box = $('names-history');
  box.hidden = chosen == null;
  if (chosen == null) return;
  const h = historyOf(entries, chosen);
  const canvas = $('names-chart');
  canvas.dataset.text = chosen;
  canvas.dataset.points = JSON.stringify(h);
  $('names-history-note').textContent = h.length
    ? `"${chosen}": NLL at each evaluation from step ${h[0][0]}, the first at which it was among the 20 hardest or easiest (the server follows a name from then on)`
    : `"${chosen}" has no value yet`;
  drawLines(canvas, h.map((p) => p[0]), [{ label: chosen, color: '#e15759', values: h.map((p) => p[1]) }], { yTitle: 'NLL', height: 140 });
}

function choose(text) {
  chosen = text;
  shownKey = '';
  render(last);
  strip.show(last.id, paramsVersion(last), text);
}

export function initDevNames() {
  const p = $('names-panel');
  const head = el('div', { class: 'panel-head' });
  head.append(el('h2', {}, 'Hardest and easiest dev names'), el('span', { class: 'muted', id: 'names-step' }));
  const two = el('div', { class: 'two' });
  for (const [id, title] of [['names-hard', 'hardest (highest NLL)'], ['names-easy', 'easiest (lowest NLL)']]) {
    const col = el('div');
    col.append(el('div', { class: 'sub-head' }, title), el('ol', { class: 'names-list', id }));
    two.append(col);
  }
  const hist = el('div', { id: 'names-history', hidden: true });
  const wrap = el('div', { class: 'mini-chart' });
  wrap.append(el('canvas', { id: 'names-chart', 'aria-label': 'the chosen name\'s NLL over the evaluations' }));
  hist.append(el('p', { class: 'muted tiny', id: 'names-history-note' }), wrap);
  p.append(head, el('p', { class: 'muted tiny' }, 'Click a name: its NLL over training, and why the run scores it so (the saved best-dev parameters).'),
    two, hist, el('div', { class: 'explain', id: 'names-explain', role: 'region', 'aria-label': 'explanation of the chosen name', hidden: true }));
  strip = new ExplainStrip($('names-explain'));
  bus.on('run', render);
}
