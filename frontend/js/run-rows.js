// The run list's rows (panels/runs.js): a run, a sweep folded into one row, and a row asking for more. Each run's
// name is a link and each sweep's toggle a button, so the keyboard opens both as it opens any link or button.

import { store, go, links, datasetName } from './state.js';
import { el, num, fmtLoss, fmtInt, fmtTime } from './util.js';

export function runRow(r, { openId, inSweep, checked, onCheck }) {
  const mine = store.run && store.run.id === r.id ? store.run : null;
  const status = mine ? mine.status : r.status;
  const step = mine ? mine.step : r.step;
  const best = mine ? mine.bestDev : num(r.bestDev);
  const tr = el('tr', { class: `${r.id === openId ? 'active' : ''}${inSweep ? ' in-sweep' : ''}`.trim(), dataset: { id: r.id },
    title: [r.message, r.note].filter(Boolean).join('\n') });
  const box = el('input', { type: 'checkbox', 'aria-label': `select run ${r.name || r.id}` });
  box.checked = checked;
  box.addEventListener('click', (e) => e.stopPropagation());
  box.addEventListener('change', () => onCheck(box.checked));
  const name = el('td', { class: 'name' });
  // a real link: Tab reaches it, Enter opens the run, and it opens in a new tab like any link
  const link = el('a', { class: `run-link ${r.name ? 'strong' : 'mono'}`, href: links.run(r.id) }, r.name || r.id);
  const first = el('div');
  first.append(link);
  name.append(first, el('div', { class: 'muted tiny' }, `${r.name ? r.id + ' · ' : ''}${fmtTime(r.created)} · ${datasetName(r.dataset)}`));
  if (r.note) name.append(el('div', { class: 'muted tiny note' }, r.note));
  const st = el('td');
  st.append(el('span', { class: 'pill small', dataset: { status } }, status));
  const check = el('td');
  check.append(box);
  tr.append(check, name, el('td', {}, r.model), st, el('td', { class: 'num' }, fmtInt(step)),
    el('td', { class: 'num strong' }, best == null ? '—' : fmtLoss(best)));
  tr.addEventListener('click', (e) => !e.target.closest('a') && go(links.run(r.id)));
  return tr;
}

export function sweepRow(s, { open, onToggle }) {
  const tr = el('tr', { class: 'sweep-row', dataset: { sweep: s.id } });
  const toggle = el('button', { type: 'button', class: 'sweep-toggle', 'aria-expanded': String(open),
    title: `${open ? 'close' : 'open'} this sweep's runs` }, `${open ? '▾' : '▸'} Sweep ${s.id}`);
  toggle.addEventListener('click', (e) => {
    e.stopPropagation();
    onToggle();
  });
  const name = el('td', { class: 'name' });
  const sub = el('div', { class: 'muted tiny' }, `${fmtInt(s.points)} points · ${(s.fields || []).join(' × ')} · ${datasetName(s.dataset)} · `);
  sub.append(el('a', { href: links.sweep(s.id) }, 'plot'));
  const first = el('div');
  first.append(toggle);
  name.append(first, sub);
  const st = el('td');
  st.append(el('span', { class: 'pill small', dataset: { status: s.status } }, s.status));
  tr.append(el('td'), name, el('td', {}, s.model), st, el('td', { class: 'num', title: 'points' }, fmtInt(s.points)),
    el('td', { class: 'num strong', title: 'best dev of its runs' }, s.bestDev == null ? '—' : fmtLoss(s.bestDev)));
  tr.addEventListener('click', (e) => !e.target.closest('a') && onToggle());
  return tr;
}

export function moreRow(label, onClick, data) {
  const tr = el('tr', { class: 'more-row', dataset: data });
  const td = el('td', { colspan: '6' });
  td.append(el('button', { type: 'button', class: 'small', onclick: onClick }, label));
  tr.append(td);
  return tr;
}
