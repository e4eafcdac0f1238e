// The run list (newest first, names shown), selection, and what to do with a selection: compare, export, delete.
// Keeps the list fresh while anything trains or waits.

import { api } from '../api.js';
import { bus, store, go, links, datasetName, setRuns, TERMINAL } from '../state.js';
import { $, el, clear, num, fmtLoss, fmtInt, fmtTime } from '../util.js';

const selected = new Set();
let deleteArmed = null;

async function refreshRuns() {
  let list;
  try {
    list = await api.runs();
  } catch (e) {
    return;
  }
  const ids = new Set(list.map((r) => r.id));
  for (const id of [...selected]) if (!ids.has(id)) selected.delete(id);
  setRuns(list);
}

function render() {
  const tbody = clear($('runs'));
  const open = store.route.name === 'run' ? store.route.id : null;
  for (const r of store.runs) {
    const live = store.run && store.run.id === r.id ? store.run : null;
    const status = live ? live.status : r.status;
    const step = live ? live.step : r.step;
    const best = live ? live.bestDev : num(r.bestDev);
    const tr = el('tr', { class: r.id === open ? 'active' : '', dataset: { id: r.id }, title: [r.message, r.note].filter(Boolean).join('\n') });
    const box = el('input', { type: 'checkbox', 'aria-label': `select run ${r.name || r.id}` });
    box.checked = selected.has(r.id);
    box.addEventListener('click', (e) => e.stopPropagation());
    box.addEventListener('change', () => {
      if (box.checked) selected.add(r.id);
      else selected.delete(r.id);
      updateButtons();
    });
    const name = el('td', { class: 'name' });
    name.append(el('div', { class: r.name ? 'strong' : 'mono' }, r.name || r.id),
      el('div', { class: 'muted tiny' }, `${r.name ? r.id + ' · ' : ''}${fmtTime(r.created)} · ${datasetName(r.dataset)}`));
    if (r.note) name.append(el('div', { class: 'muted tiny note' }, r.note));
    const st = el('td');
    st.append(el('span', { class: 'pill small', dataset: { status } }, status));
    const first = el('td');
    first.append(box);
    tr.append(first, name, el('td', {}, r.model), st, el('td', { class: 'num' }, fmtInt(step)), el('td', { class: 'num strong' }, best == null ? '—' : fmtLoss(best)));
    tr.addEventListener('click', () => go(links.run(r.id)));
    tbody.append(tr);
  }
  $('runs-count').textContent = store.runs.length ? `${store.runs.length} stored` : 'none yet';
  updateButtons();
}

/** The open run's row follows its stream in place (rebuilding the list each frame would eat clicks). */
function updateOpenRow(r) {
  const tr = r && $('runs').querySelector(`tr[data-id="${CSS.escape(r.id)}"]`);
  if (!tr) return;
  const cells = tr.children;
  const pill = cells[3].firstChild;
  pill.textContent = r.status;
  pill.dataset.status = r.status;
  cells[4].textContent = fmtInt(r.step);
  cells[5].textContent = r.bestDev == null ? '—' : fmtLoss(r.bestDev);
}

function exportIds() {
  if (selected.size) return [...selected];
  return store.route.name === 'run' ? [store.route.id] : [];
}

function updateButtons() {
  const n = exportIds().length;
  $('export-csv').disabled = n === 0;
  $('export-json').disabled = n === 0;
  $('delete-runs').disabled = selected.size === 0;
  $('compare-btn').disabled = selected.size < 2;
  $('compare-btn').textContent = selected.size >= 2 ? `Compare ${selected.size}` : 'Compare';
  $('export-csv').title = $('export-json').title = selected.size ? `export ${selected.size} selected runs` : 'export the open run (tick runs to export several)';
}

function download(format) {
  const ids = exportIds();
  if (!ids.length) return;
  const a = el('a', { href: api.exportUrl(ids, format), download: '' });
  document.body.append(a);
  a.click();
  a.remove();
}

async function deleteSelected() {
  const btn = $('delete-runs');
  if (!deleteArmed) {
    btn.textContent = `Delete ${selected.size}? click again`;
    deleteArmed = setTimeout(() => {
      deleteArmed = null;
      btn.textContent = 'Delete';
    }, 3000);
    return;
  }
  clearTimeout(deleteArmed);
  deleteArmed = null;
  btn.textContent = 'Delete';
  for (const id of [...selected]) {
    try {
      await api.remove(id);
      selected.delete(id);
      if (store.route.name === 'run' && store.route.id === id) go('#/new', { replace: true });
    } catch (e) {
      bus.emit('error', `Cannot delete ${id}: ${e.message}`);
    }
  }
  await refreshRuns();
}

export function initRuns() {
  $('export-csv').addEventListener('click', () => download('csv'));
  $('export-json').addEventListener('click', () => download('json'));
  $('delete-runs').addEventListener('click', deleteSelected);
  $('compare-btn').addEventListener('click', () => go(links.compare([...selected].reverse())));
  bus.on('runs', render);
  bus.on('run', updateOpenRow);
  bus.on('runs:refresh', refreshRuns);
  bus.on('route', (route) => {
    if (route.name === 'compare') {
      selected.clear();
      for (const id of route.ids) selected.add(id);
    }
    render();
  });
  setInterval(() => {
    if (store.runs.some((r) => !TERMINAL.includes(r.status))) refreshRuns();
  }, 2000);
  refreshRuns();
}
