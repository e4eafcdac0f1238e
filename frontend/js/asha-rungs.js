// The ASHA view under a sweep: its rungs (how many trials reached each, how many went on, how many stopped there)
// and each trial's dev at every rung it reached, linked to its run. Read from GET /api/sweeps/{id}/rungs each time
// the sweep view changes, at most once a second: promotion is decided in the database, possibly by other processes,
// so the page asks rather than infers it from points.

import { api } from './api.js';
import { links } from './state.js';
import { $, el, clear, fmtLoss, fmtNum } from './util.js';

let box = null;
let shownId = null;
let timer = null;
let lastAt = 0;
let lastKey = '';

/** The panel, hidden until an ASHA sweep is shown; the sweep view places it. */
export function ashaPanel() {
  box = el('div', { class: 'panel', id: 'sw-asha', hidden: true });
  const head = el('div', { class: 'panel-head' });
  head.append(el('h2', {}, 'ASHA rungs'), el('span', { class: 'muted', id: 'sw-asha-note' }));
  const rungs = el('table', { class: 'compare asha-rungs' });
  rungs.append(el('thead'), el('tbody', { id: 'sw-rungs' }));
  const trials = el('table', { class: 'compare asha-trials' });
  trials.append(el('thead', { id: 'sw-asha-head' }), el('tbody', { id: 'sw-asha-trials' }));
  const wrap = el('div', { class: 'table-wrap' });
  wrap.append(trials);
  box.append(head, rungs, wrap);
  return box;
}

/** Called on every render of the sweep view; fetches the rungs again when a point's status or step changed. */
export function renderAsha(sweep) {
  const asha = sweep && sweep.definition && sweep.definition.search && sweep.definition.search.kind === 'asha';
  box.hidden = !asha;
  if (!asha) {
    shownId = null;
    lastKey = '';
    return;
  }
  const key = `${sweep.id}:${sweep.points.map((p) => `${p.status}@${p.step}`).join(',')}`;
  if (key === lastKey) return;
  if (shownId !== sweep.id) clear($('sw-asha-trials'));
  shownId = sweep.id;
  clearTimeout(timer);
  timer = setTimeout(async () => {
    lastAt = Date.now();
    lastKey = key;
    try {
      const v = await api.sweepRungs(sweep.id);
      if (shownId === sweep.id) draw(v);
    } catch (e) {
      lastKey = ''; // asked again at the next render
    }
  }, Math.max(0, lastAt + 1000 - Date.now()));
}

function draw(v) {
  const steps = v.rungs.map((r) => r.step);
  $('sw-asha-note').textContent = `eta ${v.eta}: at each rung a trial goes on when it is in the top 1/${v.eta} of the`
    + ` results there so far; rungs at ${steps.map(fmtNum).join(', ')} steps`
    + (v.cooldown ? `; below the full budget a trial's dev is taken after a ${fmtNum(v.cooldown)}-step cooldown at`
      + ' the final learning rate (a branch the run does not keep)' : '');
  const rungs = clear($('sw-rungs'));
  const top = v.rungs.length - 1;
  for (const r of v.rungs) {
    const tr = el('tr', { dataset: { rung: String(r.rung) } });
    tr.append(el('td', {}, `rung ${r.rung}`), el('td', { class: 'num' }, `${fmtNum(r.step)} steps`),
      el('td', { class: 'num' }, `${r.reached} reached`),
      el('td', { class: 'num' }, r.rung === top ? 'full budget' : `${r.promoted} went on`),
      el('td', { class: 'num' }, r.rung === top ? '' : `${r.pruned} pruned`));
    rungs.append(tr);
  }
  const head = clear($('sw-asha-head'));
  const hr = el('tr');
  hr.append(el('th', {}, 'trial'), el('th', {}, 'values'));
  for (const s of steps) hr.append(el('th', { class: 'num' }, `dev @ ${fmtNum(s)}`));
  hr.append(el('th', {}, 'status'), el('th', {}, 'run'));
  head.append(hr);
  // furthest first, then best at the furthest rung: the winners on top
  const furthest = (t) => (t.rungs.length ? t.rungs[t.rungs.length - 1] : null);
  const trials = [...v.trials].sort((a, b) => (b.rungs.length - a.rungs.length)
    || ((furthest(a)?.dev ?? Infinity) - (furthest(b)?.dev ?? Infinity)));
  const body = clear($('sw-asha-trials'));
  for (const t of trials) {
    const tr = el('tr', { dataset: { trial: String(t.trial), reached: String(t.rungs.length) } });
    tr.append(el('td', { class: 'num' }, t.trial),
      el('td', { class: 'mono tiny' }, Object.entries(t.params).map(([k, x]) => `${k}=${fmtNum(x)}`).join(' ')));
    for (let k = 0; k < steps.length; k++) {
      const at = t.rungs.find((x) => x.rung === k);
      const state = !at ? '' : at.promoted === true ? 'promoted' : at.promoted === false ? 'stopped' : 'full';
      const td = el('td', { class: `num rung-cell ${state}`, title: state === 'promoted' ? 'went on' : state === 'stopped' ? 'pruned here' : '' });
      if (at && t.run) td.append(el('a', { href: links.run(t.run) }, `${fmtLoss(at.dev)}${state === 'promoted' ? ' ↑' : state === 'stopped' ? ' ✕' : ''}`));
      tr.append(td);
    }
    const run = el('td');
    if (t.run) run.append(el('a', { href: links.run(t.run), class: 'mono' }, t.run));
    tr.append(el('td', {}, t.status), run);
    body.append(tr);
  }
}
