// The compare mode of the explain strip (#/explain?ids=a,b&text=emma): one text under up to 4 runs, their strips
// stacked in one grid so each character's cells line up, each run labelled with its name, model and mean NLL. At
// every position the run that gave the character the highest p is outlined: where the bigger model wins.

import { bus, store, go, links, runLabel } from '../state.js';
import { explainText, paramsVersion, stale } from '../explain-client.js';
import { positionCell, legendFor, stepNote, head } from '../explain-strip.js';
import { RunPicker, runEntry } from '../run-picker.js';
import { colorAt } from '../charts/loss-chart.js';
import { $, el, clear, num, fmtLoss, debounce } from '../util.js';

const MAX_RUNS = 4;

let picker;
let token = 0;
let lastRun = null; // the run last open, for a compare reached without ids
let drawn = []; // the rows on show, with the parameter versions they were answered with

function current() {
  return { ids: picker.ids, text: $('xc-text').value.trim() };
}

/** Every change goes through the URL, so back/forward and a copied link show the same comparison. */
function update() {
  const { ids, text } = current();
  go(links.explain(ids, text), { replace: true });
}

async function render(route) {
  const mine = ++token;
  const ids = route.ids.length ? route.ids.slice(0, MAX_RUNS) : lastRun ? [lastRun] : [];
  picker.set(ids);
  if (document.activeElement !== $('xc-text')) $('xc-text').value = route.text;
  $('xc-next').href = links.next(ids.slice(0, 3), '');
  const out = $('xc-out');
  $('xc-err').textContent = route.ids.length > MAX_RUNS ? `Only the first ${MAX_RUNS} runs are compared.` : '';
  const text = route.text.trim();
  if (!ids.length || !text) {
    drawn = [];
    clear(out).append(el('p', { class: 'x-msg muted' }, !ids.length ? 'Pick a run or more above.' : 'Type a text above, e.g. a name.'));
    out.dataset.state = 'empty';
    return;
  }
  // strips on show stay until the new ones come (a run still training is asked again as it improves)
  if (out.dataset.state !== 'shown') clear(out).append(el('p', { class: 'x-msg muted' }, 'explaining…'));
  out.dataset.state = 'loading';
  // one after another (explain-client queues them): a busy server is asked again rather than flooded
  const rows = [];
  for (const id of ids) {
    const entry = runEntry(id);
    const version = paramsVersion(entry);
    try {
      rows.push({ entry, version, res: await explainText(id, version, text) });
    } catch (e) {
      rows.push({ entry, version, error: e.message });
    }
    if (mine !== token) return;
  }
  drawn = rows;
  draw(rows, text);
}

function draw(rows, text) {
  const out = clear($('xc-out'));
  const ok = rows.filter((r) => r.res);
  const n = ok.length ? ok[0].res.positions.length : 0;
  // per position, the run whose p(next) is highest; compared only between answers of the same length
  const best = [];
  for (let i = 0; i < n; i++) {
    let top = null;
    for (const r of ok) {
      if (r.res.positions.length !== n) continue;
      const p = pOf(r.res, i);
      if (!top || p > top.p) top = { id: r.entry.id, p };
    }
    best.push(ok.length > 1 ? top && top.id : null);
  }
  const lowest = ok.length > 1 ? Math.min(...ok.map((r) => num(r.res.nll))) : null;
  const grid = el('div', { class: 'xc-grid', style: `grid-template-columns:repeat(${Math.max(n, 1)}, 46px)` });
  rows.forEach((r, k) => {
    r.entry = runEntry(r.entry.id); // the run list may have come since the answer was asked
    const label = el('div', { class: 'xc-label', dataset: { run: r.entry.id } });
    const inner = el('div', { class: 'xc-label-in' });
    inner.append(el('span', { class: 'swatch', style: `background:${colorAt(k, rows.length)}` }),
      el('span', { class: 'strong' }, runLabel(r.entry)), el('span', { class: 'muted' }, r.entry.model));
    if (r.res) {
      const nll = num(r.res.nll);
      label.dataset.nll = String(nll);
      inner.append(el('span', { class: `xc-nll${nll === lowest ? ' best' : ''}` }, `mean NLL ${fmtLoss(nll)}`));
      const step = stepNote(r.res);
      if (step) inner.append(el('span', { class: 'x-step' }, step));
    } else {
      inner.append(el('span', { class: 'err', role: 'alert' }, `Cannot explain it: ${r.error}`));
    }
    label.append(inner);
    grid.append(label);
    if (!r.res) return;
    r.res.positions.forEach((pos, i) => {
      const cell = positionCell(r.res, i);
      cell.dataset.run = r.entry.id;
      if (best[i] === r.entry.id) {
        cell.classList.add('best');
        cell.title += ' · the highest p of these runs';
      }
      grid.append(cell);
    });
  });
  out.append(head(text, el('span', { class: 'muted' }, `under ${rows.length} run${rows.length > 1 ? 's' : ''}; outlined: the run that gave that character the highest p`)), grid);
  if (ok.length) out.append(legendFor(ok[0].res.vocab.length));
  out.dataset.state = 'shown';
}

function pOf(res, i) {
  const pos = res.positions[i];
  return num(pos.p[res.vocab.indexOf(pos.next)]) ?? 0;
}

export function initExplainCompare() {
  picker = new RunPicker($('xc-runs'), MAX_RUNS, update);
  $('xc-text').maxLength = store.limits.maxChars;
  $('xc-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    update();
  });
  $('xc-text').addEventListener('input', debounce(update, 350));
  bus.on('run', (r) => {
    if (r) lastRun = r.id;
  });
  bus.on('runs', () => {
    if (store.route.name !== 'explain') return;
    picker.refresh();
    if (drawn.some((r) => stale(r.version, paramsVersion(runEntry(r.entry.id))))) render(store.route);
  });
  bus.on('route', (route) => {
    if (route.name === 'explain') render(route);
  });
}
