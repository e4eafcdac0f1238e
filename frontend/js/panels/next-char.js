// The next-character explorer (#/next?ids=a,b&text=em): P(next | prefix) under up to 3 runs, one bar per character
// and run side by side. Temperature and top-k reshape the bars on the page (next-shape.js), asking the server
// nothing; clicking a bar (or Enter on it) appends its character, the end '.' finishes the name, and "step" draws
// one from the first run's bars as shown. P(next | prefix) is the last position of the run's explanation of the
// prefix (GET /api/runs/{id}/explain), so every run with saved parameters answers, a count model and a run still
// training included.

import { api } from '../api.js';
import { bus, store, go, links, runLabel } from '../state.js';
import { explainText, paramsVersion, stale } from '../explain-client.js';
import { stepNote, glyph, fmtP } from '../explain-strip.js';
import { RunPicker, runEntry } from '../run-picker.js';
import { reshape, draw, tempOf, sliderBounds } from '../next-shape.js';
import { colorAt } from '../charts/loss-chart.js';
import { $, el, clear, num, debounce } from '../util.js';

const MAX_RUNS = 3;
const END = '.';

let picker;
let cols = []; // per selected run: {id, entry, version, p, vocab, res, error}
let prefix = '';
let finished = false;
let token = 0;
let lastRun = null; // the run last open: the explorer's default
const vocabs = new Map(); // run id -> its vocabulary, from any answer

const chars = (s) => Array.from(s);

/**
 * What to ask the server for P(next | prefix): the prefix itself (its last position), or, when the server could
 * not read the prefix as typed (it is empty, or ends in a space the server would trim), the prefix and any one
 * character of the run's, whose position at the prefix's length is the same distribution.
 */
async function question(id) {
  const n = chars(prefix).length;
  if (prefix !== '' && prefix.trimEnd() === prefix) return { text: prefix, at: n };
  const probe = (vocabs.get(id) || []).find((c) => c !== END && c.trim()) || (await someChar(id));
  if (!probe) throw new Error('no character of this run is known yet: type a first character');
  return { text: prefix + probe, at: n };
}

/** A character of the run's vocabulary before any answer: from its samples or embedding (the model made them). */
async function someChar(id) {
  const r = await api.run(id);
  const texts = [...(r.samples ? r.samples.names.map((s) => s.text) : []), ...(r.embedding ? r.embedding.points.map((q) => q.ch) : [])];
  return chars(texts.join('')).find((c) => c !== END && c.trim());
}

/** Why a run cannot take the prefix, in words; null when it can (as far as the page knows). */
function refusal(id) {
  if (/^\s/.test(prefix)) return 'a name does not start with a space (the server trims it)';
  if (prefix.includes(END)) return `'${END}' is the end of a name, not a character: click the '${END}' bar to end it`;
  const vocab = vocabs.get(id);
  if (!vocab) return null;
  const unknown = [...new Set(chars(prefix))].filter((c) => !vocab.includes(c));
  if (!unknown.length) return null;
  const list = unknown.map((c) => `'${glyph(c)}'`).join(', ');
  return `${list} ${unknown.length > 1 ? 'are not characters' : 'is not a character'} of this run's data`;
}

async function fetchAll() {
  const mine = ++token;
  const ids = picker.ids;
  $('nx-out').dataset.state = 'loading';
  const got = [];
  for (const id of ids) {
    const entry = runEntry(id);
    const col = { id, entry, version: paramsVersion(entry), error: refusal(id) };
    if (!col.error) {
      try {
        const q = await question(id);
        const res = await explainText(id, col.version, q.text);
        vocabs.set(id, res.vocab);
        col.res = res;
        col.vocab = res.vocab;
        col.p = res.positions[q.at].p.map((x) => num(x) ?? 0);
      } catch (e) {
        col.error = e.message;
      }
    }
    got.push(col);
    if (mine !== token) return;
  }
  cols = got;
  render();
}

const refetch = debounce(() => {
  go(links.next(picker.ids, prefix), { replace: true });
  fetchAll();
}, 250);

function shaping() {
  const t = tempOf($('nx-temp').value);
  const k = Math.floor(Number($('nx-topk').value) || 0);
  return { t, k };
}

/** The bars as the controls shape them now: no request, so the slider can move them live. */
function render() {
  const { t, k } = shaping();
  $('nx-temp-val').textContent = t === 1 ? '1' : t.toPrecision(2);
  const max = store.limits.maxChars;
  const n = chars(prefix).length;
  const full = n >= max;
  const shown = cols.map((c) => (c.p ? reshape(c.p, t, k) : null));
  const first = cols.findIndex((c) => c.p);
  $('nx-step').disabled = finished || first < 0 || full;
  $('nx-back').disabled = !prefix;
  $('nx-state').textContent = finished ? `"${prefix}" is finished: the end '${END}' came next. Edit or clear the prefix to go on.`
    : full ? `The prefix has reached the ${max} characters the server explains: only the end '${END}' can come next.`
    : n ? `after "${prefix}" (${n} of at most ${max} characters)` : 'at the start of a name';
  $('nx-state').dataset.finished = String(finished);
  const out = clear($('nx-out'));
  out.dataset.state = 'shown';
  out.style.setProperty('--nx-runs', String(Math.max(cols.length, 1)));
  if (!cols.length) {
    out.append(el('p', { class: 'muted' }, 'Pick a run above.'));
    return;
  }
  const headRow = el('div', { class: 'nx-head' });
  headRow.append(el('span', {}, ''));
  for (const c of cols) c.entry = runEntry(c.id); // the run list may have come since the answer was asked
  cols.forEach((c, i) => {
    const h = el('div', { class: 'nx-run', dataset: { run: c.id } });
    h.append(el('span', { class: 'swatch', style: `background:${colorAt(i, cols.length)}` }),
      el('span', { class: 'strong' }, runLabel(c.entry)), el('span', { class: 'muted' }, ` ${c.entry.model}`));
    if (c.error) h.append(el('div', { class: 'err', role: 'alert' }, c.error));
    else if (stepNote(c.res)) h.append(el('div', { class: 'x-step' }, stepNote(c.res)));
    headRow.append(h);
  });
  out.append(headRow);
  // every character some run knows, the likeliest (under the first run that answered, as shown) first
  const order = [];
  for (const c of cols) for (const ch of c.vocab || []) if (!order.includes(ch)) order.push(ch);
  const lead = first >= 0 ? shown[first] : null;
  const pAt = (i, ch) => (shown[i] && cols[i].vocab.includes(ch) ? shown[i][cols[i].vocab.indexOf(ch)] : null);
  if (lead) order.sort((a, b) => (pAt(first, b) ?? -1) - (pAt(first, a) ?? -1));
  const rows = el('div', { class: 'nx-rows', role: 'group', 'aria-label': 'next characters: press one to append it' });
  for (const ch of order) {
    const end = ch === END;
    const ps = cols.map((c, i) => pAt(i, ch));
    const words = cols.map((c, i) => `${fmtP(ps[i])} under ${runLabel(c.entry)}`).join(', ');
    const row = el('button', {
      type: 'button', class: `nx-row${end ? ' end' : ''}`, dataset: { ch },
      disabled: finished || (full && !end),
      'aria-label': `${end ? 'end the name' : `append '${glyph(ch)}'`}: ${words}`,
    });
    row.append(el('span', { class: 'nx-ch mono', title: end ? 'the end of the name' : null }, glyph(ch)));
    ps.forEach((p, i) => {
      const cell = el('span', { class: 'nx-cell', dataset: { run: cols[i].id, p: p == null ? '' : String(p) } });
      const track = el('span', { class: 'nx-track' });
      track.append(el('span', { class: 'nx-fill', style: `width:${p ? Math.max(0.5, p * 100) : 0}%;background:${colorAt(i, cols.length)}` }));
      cell.append(track, el('span', { class: 'nx-val' }, p == null ? '—' : fmtP(p)));
      row.append(cell);
    });
    row.addEventListener('click', () => pick(ch));
    rows.append(row);
  }
  const refocus = document.activeElement && document.activeElement.classList.contains('nx-row');
  out.append(rows);
  if (refocus && rows.querySelector('button:not(:disabled)')) rows.querySelector('button:not(:disabled)').focus();
  const shape = [t !== 1 ? `T = ${$('nx-temp-val').textContent}` : null, k > 0 ? `top-${k}` : null].filter(Boolean).join(', ');
  out.append(el('p', { class: 'muted tiny' }, `bars: P(next | prefix) from each run's best-dev parameters${shape ? `, reshaped here (${shape})` : ''}.`));
}

/** A chosen next character: the end finishes the name, any other is appended and asked about. */
function pick(ch) {
  if (finished) return;
  if (ch === END) {
    finished = true;
    render();
    go(links.next(picker.ids, prefix), { replace: true });
    return;
  }
  if (chars(prefix).length >= store.limits.maxChars) return;
  setPrefix(prefix + ch);
}

function setPrefix(text) {
  prefix = text;
  finished = false;
  $('nx-prefix').value = text;
  refetch();
}

function step() {
  const i = cols.findIndex((c) => c.p);
  if (i < 0 || finished) return;
  const { t, k } = shaping();
  pick(cols[i].vocab[draw(reshape(cols[i].p, t, k))]);
}

function enter(route) {
  const ids = (route.ids.length ? route.ids : lastRun ? [lastRun] : []).slice(0, MAX_RUNS);
  const same = ids.join() === picker.ids.join() && route.text === prefix;
  picker.set(ids);
  if (same && cols.length) return; // our own URL update
  prefix = route.text;
  finished = false;
  $('nx-prefix').value = prefix;
  $('nx-err').textContent = route.ids.length > MAX_RUNS ? `Only the first ${MAX_RUNS} runs are explored.` : '';
  fetchAll();
}

export function initNextChar() {
  picker = new RunPicker($('nx-runs'), MAX_RUNS, () => {
    go(links.next(picker.ids, prefix), { replace: true });
    fetchAll();
  });
  const b = sliderBounds(store.limits.temperature);
  Object.assign($('nx-temp'), { min: String(b.min), max: String(b.max), step: '1', value: '0' });
  $('nx-prefix').maxLength = store.limits.maxChars;
  $('nx-temp').addEventListener('input', render);
  $('nx-topk').addEventListener('input', render);
  $('nx-prefix').addEventListener('input', () => {
    prefix = $('nx-prefix').value;
    finished = false;
    refetch();
  });
  $('nx-form').addEventListener('submit', (ev) => ev.preventDefault());
  $('nx-back').addEventListener('click', () => setPrefix(chars(prefix).slice(0, -1).join('')));
  $('nx-clear').addEventListener('click', () => setPrefix(''));
  $('nx-step').addEventListener('click', step);
  bus.on('run', (r) => {
    if (r) lastRun = r.id;
  });
  bus.on('runs', () => {
    if (store.route.name !== 'next') return;
    picker.refresh();
    // a run still training answers with better parameters once its best dev improves
    if (cols.some((c) => stale(c.version, paramsVersion(runEntry(c.id))))) fetchAll();
  });
  bus.on('route', (route) => {
    if (route.name === 'next') enter(route);
  });
}
