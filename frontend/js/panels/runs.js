// The run list: a page at a time from the server (a lab may hold ten thousand runs), filtered and sorted there, each
// sweep folded into one row that opens to its runs; the selection (kept across pages and sweeps) and what to do with
// it: compare, export, delete. Keeps what it shows fresh while anything trains or waits.

import { api } from '../api.js';
import { bus, store, go, links, setRuns, TERMINAL } from '../state.js';
import { STATUS_CHOICES, emptyFilter, grouped, describe, selectionNote, listParams, Latest, STALE } from '../run-query.js';
import { runRow, sweepRow, moreRow } from '../run-rows.js';
import { $, el, clear, fmtLoss, fmtInt, debounce } from '../util.js';

// the compare view's legend, palette and config table stay readable up to this many runs
const COMPARE_MAX = 20;

const selected = new Set();
let deleteArmed = null;
let filter = emptyFilter();
const list = { rows: [], total: 0, error: '', loaded: false };
let sweeps = []; // GET /api/sweeps, while the list is folded
const opened = new Map(); // sweep id -> {rows, total, slot, loaded}: opened sweep rows stay open across refreshes
let live = []; // every queued or running run, wherever it sits: the run bar's queue place and the poll need them
const mainSlot = new Latest();
const moreSlot = new Latest();
const liveSlot = new Latest();

const pageSize = () => store.limits.runPage || 100;
const pageMax = () => store.limits.runPageMax || 1000;
const exportMax = () => store.limits.exportRuns || 200;

/** store.runs: what the list has loaded (its pages, opened sweeps) and every live run, for the other panels. */
function publish() {
  const seen = new Map();
  for (const r of [...list.rows, ...[...opened.values()].flatMap((o) => o.rows), ...live]) seen.set(r.id, r);
  setRuns([...seen.values()]);
}

/** The list for the filter afresh (`reset`), or what it shows re-read: as many rows as are loaded, up to a max page. */
async function loadList(reset) {
  moreSlot.drop();
  const f = { ...filter };
  const limit = f.top ? Number(f.top) : reset ? pageSize() : Math.min(pageMax(), Math.max(pageSize(), list.rows.length));
  const t0 = performance.now();
  $('runs-wrap').setAttribute('aria-busy', 'true');
  let got;
  try {
    got = await mainSlot.run((signal) => Promise.all([api.runPage(listParams(f, { limit }), signal),
      grouped(f) ? api.sweeps() : null]));
  } catch (e) {
    list.error = `The run list did not load: ${e.message}`;
    $('runs-wrap').removeAttribute('aria-busy');
    render();
    return;
  }
  if (got === STALE) return;
  const [page, sw] = got;
  list.error = '';
  list.loaded = true;
  const rest = reset || list.rows.length <= limit ? [] : list.rows.slice(limit);
  const ids = new Set(page.runs.map((r) => r.id));
  list.rows = [...page.runs, ...rest.filter((r) => !ids.has(r.id))];
  list.total = page.total;
  sweeps = sw || [];
  $('runs-wrap').removeAttribute('aria-busy');
  // the time from asking to a drawn list, for whoever measures the page (the e2e test reads it)
  publish();
  $('runs-panel').dataset.loadMs = String(Math.round(performance.now() - t0));
}

async function loadMore() {
  const f = { ...filter };
  const offset = list.rows.length;
  let got;
  try {
    got = await moreSlot.run((signal) => api.runPage(listParams(f, { offset, limit: pageSize() }), signal));
  } catch (e) {
    bus.emit('error', `More runs: ${e.message}`);
    return;
  }
  if (got === STALE) return;
  const have = new Set(list.rows.map((r) => r.id));
  list.rows.push(...got.runs.filter((r) => !have.has(r.id)));
  list.total = got.total;
  publish();
}

async function loadSweep(id, more) {
  const o = opened.get(id);
  if (!o) return;
  const offset = more ? o.rows.length : 0;
  const limit = more ? pageSize() : Math.min(pageMax(), Math.max(pageSize(), o.rows.length));
  let got;
  try {
    got = await o.slot.run((signal) => api.runPage(listParams(filter, { sweep: id, offset, limit }), signal));
  } catch (e) {
    bus.emit('error', `Sweep ${id}'s runs: ${e.message}`);
    return;
  }
  if (got === STALE || opened.get(id) !== o) return;
  const have = new Set(got.runs.map((r) => r.id));
  o.rows = more ? [...o.rows.filter((r) => !have.has(r.id)), ...got.runs] : got.runs;
  o.total = got.total;
  o.loaded = true;
  publish();
}

async function loadLive() {
  const got = await liveSlot.run((signal) => api.runPage({ status: 'queued,running', limit: String(pageMax()) }, signal))
    .catch(() => STALE);
  if (got === STALE) return;
  live = got.runs;
  publish();
}

function refreshAll() {
  loadList(false);
  for (const id of opened.keys()) loadSweep(id, false);
  loadLive();
}

function toggleSweep(id) {
  const o = opened.get(id);
  if (o) {
    o.slot.drop();
    opened.delete(id);
    publish();
    return;
  }
  opened.set(id, { rows: [], total: 0, slot: new Latest(), loaded: false });
  render();
  loadSweep(id, false);
}

const row = (r, openId, inSweep) => runRow(r, { openId, inSweep, checked: selected.has(r.id), onCheck: (on) => {
  if (on) selected.add(r.id);
  else selected.delete(r.id);
  updateButtons();
} });

/** Where the keyboard was in the list, to put it back once the rows are rebuilt (Enter on a sweep toggle). */
function focusIn() {
  const a = document.activeElement;
  const tr = a && $('runs').contains(a) ? a.closest('tr') : null;
  if (!tr) return null;
  const [k, v] = Object.entries(tr.dataset)[0] || [];
  if (!k) return null;
  const attr = `data-${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
  return `tr[${attr}="${CSS.escape(v)}"] ${a.tagName.toLowerCase()}`;
}

let drawn = '';

function render() {
  const openId = store.route.name === 'run' ? store.route.id : null;
  // an unchanged list is not rebuilt: a row replaced between a press and its release would lose the click
  const mine = store.run ? [store.run.id, store.run.status, store.run.step, store.run.bestDev] : null;
  const key = JSON.stringify([openId, mine, filter, list, sweeps, [...opened].map(([id, o]) => [id, o.rows, o.total, o.loaded]),
    [...selected]]);
  if (key === drawn) {
    updateButtons();
    return;
  }
  drawn = key;
  const rows = document.createDocumentFragment();
  const folded = grouped(filter);
  let inSweeps = 0;
  if (folded) {
    for (const s of sweeps) {
      inSweeps += Object.entries(s.counts || {}).reduce((n, [k, v]) => n + (k === 'pending' ? 0 : v), 0);
      rows.append(sweepRow(s, { open: opened.has(s.id), onToggle: () => toggleSweep(s.id) }));
      const o = opened.get(s.id);
      if (!o) continue;
      for (const r of o.rows) rows.append(row(r, openId, true));
      if (o.loaded && o.rows.length < o.total) {
        rows.append(moreRow(`more of sweep ${s.id} (${fmtInt(o.rows.length)} of ${fmtInt(o.total)})`, () => loadSweep(s.id, true), { sweepMore: s.id }));
      }
    }
  }
  for (const r of list.rows) rows.append(row(r, openId, false));
  const focus = focusIn();
  clear($('runs')).append(rows);
  if (focus) $('runs').querySelector(focus)?.focus({ preventScroll: true });
  const n = list.rows.length;
  const count = $('runs-count');
  if (!list.loaded) count.textContent = '';
  else if (folded) {
    count.textContent = n || sweeps.length ? `${fmtInt(n)} of ${fmtInt(list.total)}${sweeps.length ? ` · ${sweeps.length} sweep${sweeps.length === 1 ? '' : 's'}` : ''}` : 'none yet';
    count.title = `${fmtInt(list.total)} runs outside sweeps, ${fmtInt(inSweeps)} in ${sweeps.length} sweep${sweeps.length === 1 ? '' : 's'}`;
  } else {
    count.textContent = `${fmtInt(n)} of ${fmtInt(list.total)}`;
    count.title = `${fmtInt(list.total)} runs match`;
  }
  const more = $('runs-more');
  more.hidden = !!filter.top || n >= list.total;
  more.textContent = `more (${fmtInt(n)} of ${fmtInt(list.total)} shown)`;
  const mode = $('runs-mode');
  mode.textContent = list.error || describe(filter);
  mode.classList.toggle('err', !!list.error);
  $('runs-empty').hidden = !list.loaded || n > 0 || (folded && sweeps.length > 0) || !!list.error;
  $('runs-empty').textContent = grouped(filter) ? 'No runs yet.' : 'No run matches.';
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

// ---------------------------------------------------------------- selection and what to do with it

function exportIds() {
  if (selected.size) return [...selected];
  return store.route.name === 'run' ? [store.route.id] : [];
}

function updateButtons() {
  const n = exportIds().length;
  const k = selected.size;
  const tooMany = n > exportMax();
  $('export-csv').disabled = $('export-json').disabled = n === 0 || tooMany;
  $('delete-runs').disabled = k === 0;
  $('compare-btn').disabled = k < 2 || k > COMPARE_MAX;
  $('compare-btn').textContent = k >= 2 && k <= COMPARE_MAX ? `Compare ${k}` : 'Compare';
  $('compare-btn').title = k > COMPARE_MAX ? `compare takes up to ${COMPARE_MAX} runs` : 'tick 2 to 20 runs to compare them';
  $('export-csv').title = $('export-json').title = k ? `export ${k} selected runs` : 'export the open run (tick runs to export several)';
  $('runs-sel').textContent = selectionNote(k, COMPARE_MAX, exportMax());
}

function download(format) {
  const ids = exportIds();
  if (!ids.length || ids.length > exportMax()) return;
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
  refreshAll();
}

// ---------------------------------------------------------------- the filter controls

function fillChoices() {
  const keep = (sel, options) => {
    const v = sel.value;
    clear(sel).append(...options.map(([value, label]) => el('option', { value }, label)));
    sel.value = options.some(([value]) => value === v) ? v : '';
  };
  keep($('rf-model'), [['', 'any model'], ...store.models.map((m) => [m.name, m.name])]);
  const ds = store.datasets.some((d) => d.id === 'names') ? [] : [['names', 'names']];
  keep($('rf-dataset'), [['', 'any dataset'], ...ds, ...store.datasets.map((d) => [d.id, d.name || d.id])]);
}

/** Reads the controls; a number box that does not hold a number is marked and asks nothing of the server. */
function readFilter() {
  const dev = $('rf-dev');
  const top = $('rf-top');
  const devOk = !dev.validity.badInput && (dev.value === '' || Number.isFinite(Number(dev.value)));
  const topN = Number(top.value);
  const topOk = top.value === '' || (Number.isInteger(topN) && topN >= 1 && topN <= pageMax());
  dev.classList.toggle('invalid', !devOk);
  top.classList.toggle('invalid', !topOk);
  top.title = topOk ? 'the N runs with the lowest best dev' : `a whole number from 1 to ${pageMax()}`;
  if (!devOk || !topOk) return null;
  return { model: $('rf-model').value, dataset: $('rf-dataset').value, status: $('rf-status').value,
    name: $('rf-name').value, devBelow: dev.value, sort: $('rf-sort').value, top: top.value };
}

function onFilter() {
  const f = readFilter();
  if (!f || JSON.stringify(f) === JSON.stringify(filter)) return;
  filter = f;
  $('rf-sort').disabled = !!f.top; // top N is by best dev
  $('runs-clear').disabled = grouped(f);
  $('runs-wrap').scrollTop = 0;
  loadList(true);
}

function initFilter() {
  $('rf-status').append(...STATUS_CHOICES.map(([value, label]) => el('option', { value }, label)));
  fillChoices();
  const typed = debounce(onFilter, 150);
  for (const id of ['rf-model', 'rf-dataset', 'rf-status', 'rf-sort']) $(id).addEventListener('change', onFilter);
  for (const id of ['rf-name', 'rf-dev', 'rf-top']) $(id).addEventListener('input', typed);
  $('runs-filter').addEventListener('submit', (e) => {
    e.preventDefault();
    onFilter();
  });
  $('runs-clear').addEventListener('click', () => {
    $('runs-filter').reset();
    onFilter();
  });
  $('runs-more').addEventListener('click', loadMore);
  bus.on('datasets', () => {
    fillChoices();
    drawn = ''; // the rows name their datasets
    render();
  });
}

export function initRuns() {
  initFilter();
  $('export-csv').addEventListener('click', () => download('csv'));
  $('export-json').addEventListener('click', () => download('json'));
  $('delete-runs').addEventListener('click', deleteSelected);
  $('compare-btn').addEventListener('click', () => go(links.compare([...selected].reverse())));
  bus.on('runs', render);
  bus.on('run', updateOpenRow);
  // many changes land together (a sweep's points): one re-read for them
  const refresh = debounce(refreshAll, 150);
  bus.on('runs:refresh', refresh);
  bus.on('sweeps:refresh', refresh);
  bus.on('route', (route) => {
    if (route.name === 'compare') {
      selected.clear();
      for (const id of route.ids) selected.add(id);
    }
    render();
  });
  setInterval(() => {
    if (live.length || store.runs.some((r) => !TERMINAL.includes(r.status))) refreshAll();
  }, 2000);
  loadList(true);
  loadLive();
}
