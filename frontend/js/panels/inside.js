// Inside a prediction (#/inside?ids=a&text=emma), one run: how strongly each character drives the prediction at a
// chosen position (the gradient-norm influence, shading the text; click or Enter on a character to choose the
// prediction made after it), and for a transformer every layer's and head's attention as a T x T map (hover a cell,
// or focus a map and move with the arrow keys, to read "from X to Y: weight").

import { bus, store, go, links, runLabel } from '../state.js';
import { api } from '../api.js';
import { paramsVersion, stale } from '../explain-client.js';
import { glyph, stepNote } from '../explain-strip.js';
import { RunPicker, runEntry } from '../run-picker.js';
import { $, el, clear, num, debounce } from '../util.js';

let picker;
let token = 0;
let lastRun = null; // the run last open, for the view reached without ids
let position = null; // the token whose prediction is explained; null: the last (the end)
let shown = null; // {id, text, version} on show
let refocus = false; // a character was chosen: the redrawn row gives the keyboard its focus back

function update() {
  go(links.inside(picker.ids, $('in-text').value.trim()), { replace: true });
}

const note = (box, text, cls = 'muted') => clear(box).append(el('p', { class: `x-msg ${cls}` }, text));

async function render(route) {
  const mine = ++token;
  const id = route.ids.length ? route.ids[0] : lastRun;
  picker.set(id ? [id] : []);
  if (document.activeElement !== $('in-text')) $('in-text').value = route.text;
  const text = route.text.trim();
  $('in-step').textContent = '';
  if (!id || !text) {
    shown = null;
    note($('in-influence'), !id ? 'Pick a run above.' : 'Type a text above, e.g. a name.');
    clear($('in-attention'));
    return;
  }
  const entry = runEntry(id);
  const onlyPosition = shown && shown.id === id && shown.text === text && shown.version === paramsVersion(entry)
    && (route.position ?? null) !== position;
  position = route.position ?? null;
  if (onlyPosition) { // a character was chosen: the attention maps stay as they are
    loadInfluence(mine);
    return;
  }
  shown = { id, text, version: paramsVersion(entry) };
  const influence = loadInfluence(mine);
  const box = $('in-attention');
  let model = entry.model;
  if (model === '?') { // not in the loaded list (a fresh page, or a run on another page of it): ask the run itself
    try {
      model = (await api.run(id)).config.model;
    } catch (e) {
      model = '?'; // the influence box says what is wrong with the run
    }
    if (mine !== token) return;
  }
  if (model !== 'transformer') {
    note(box, model === '?' ? 'Attention maps are for transformer runs.'
      : `Attention maps are for transformer runs; ${runLabel(entry)} is a ${model}.`);
  } else {
    box.dataset.state = 'loading';
    try {
      const res = await api.attention(id, text);
      if (mine === token) drawAttention(res);
    } catch (e) {
      if (mine === token) note(box, `No attention maps: ${e.message}`, 'err');
    }
  }
  await influence;
}

async function loadInfluence(mine = token) {
  const box = $('in-influence');
  box.dataset.state = 'loading';
  try {
    const res = await api.influence(shown.id, shown.text, position);
    if (mine === token) drawInfluence(res);
  } catch (e) {
    if (mine === token) {
      note(box, `No influence: ${e.message}`, 'err');
      box.dataset.state = 'error';
    }
  }
}

function drawInfluence(res) {
  const box = clear($('in-influence'));
  const w = res.influence.map((v) => num(v) ?? 0);
  const max = Math.max(...w);
  const next = res.next === '.' ? 'the end' : `'${glyph(res.next)}'`;
  const after = res.tokens.slice(1, res.position + 1).join('');
  box.append(el('p', { class: 'in-what' }, `Influence on predicting ${next} after "${after}" (start '.' first): `
    + 'the gradient norm of ln p at each character’s embedding, shares summing to 1. Choose a character to explain'
    + ' the prediction made after it.'));
  const row = el('div', { class: 'in-tokens', role: 'group', 'aria-label': 'characters, shaded by influence' });
  res.tokens.forEach((t, j) => {
    const share = `${(w[j] * 100).toFixed(1)}%`;
    const b = el('button', {
      type: 'button', class: 'in-tok mono', 'aria-pressed': String(j === res.position),
      dataset: { j: String(j), w: String(w[j]) },
      style: `background:hsla(211, 85%, 48%, ${max > 0 ? (0.08 + 0.82 * w[j] / max).toFixed(3) : 0})`,
      title: `${glyph(t)}: ${share} of the influence on predicting ${next}`,
      'aria-label': `${j === 0 ? 'start' : glyph(t)}, ${share}${j === res.position ? ', the position explained' : ''}`,
      onclick: () => {
        refocus = true;
        go(links.inside([shown.id], shown.text, j), { replace: true }); // the link keeps the choice
      },
    }, glyph(t));
    b.append(el('span', { class: 'in-share' }, share));
    row.append(b);
  });
  box.append(row);
  const step = stepNote(res);
  $('in-step').textContent = step || '';
  box.dataset.state = 'shown';
  if (refocus) box.querySelector('[aria-pressed="true"]')?.focus();
  refocus = false;
}

function drawAttention(res) {
  const box = clear($('in-attention'));
  const tokens = res.tokens.map(glyph);
  const t = tokens.length;
  const heads = res.layers[0].length;
  const px = Math.max(5, Math.min(14, Math.floor(140 / t)));
  const read = el('p', { class: 'in-read mono', id: 'in-att-read', 'aria-live': 'polite' }, 'hover a cell, or focus a map and use the arrow keys');
  const grid = el('div', { class: 'att-grid', style: `grid-template-columns:auto repeat(${heads}, max-content)` });
  grid.append(el('span'));
  for (let h = 0; h < heads; h++) grid.append(el('span', { class: 'att-h muted' }, `head ${h + 1}`));
  res.layers.forEach((layer, l) => {
    grid.append(el('span', { class: 'att-l muted' }, `layer ${l + 1}`));
    layer.forEach((m, h) => grid.append(headMap(m, l, h, tokens, px, read)));
  });
  const scroll = el('div', { class: 'att-scroll' });
  scroll.append(grid);
  box.append(el('p', { class: 'in-what' }, `Attention of ${res.layers.length} layer${res.layers.length > 1 ? 's' : ''}`
    + ` x ${heads} head${heads > 1 ? 's' : ''}: row = from (the token attending), column = to; each row sums to 1.`),
  read, scroll);
  box.dataset.state = 'shown';
}

/** One head's T x T map: darker = more weight; above the diagonal (the future) stays empty. */
function headMap(m, l, h, tokens, px, read) {
  const t = tokens.length;
  const map = el('div', {
    class: 'att-map', tabindex: '0', dataset: { layer: String(l), head: String(h) },
    'aria-label': `layer ${l + 1} head ${h + 1}: arrow keys move through the weights`,
    style: `grid-template-columns:repeat(${t}, ${px}px);grid-auto-rows:${px}px`,
  });
  let at = [t - 1, 0];
  const show = (i, j) => {
    at = [i, j];
    map.querySelector('.cur')?.classList.remove('cur');
    map.children[i * t + j].classList.add('cur');
    const w = num(m[i][j]);
    read.textContent = `layer ${l + 1} head ${h + 1} · from ${tokens[i]} to ${tokens[j]}: ${w.toFixed(3)}`;
    read.dataset.w = String(w);
  };
  for (let i = 0; i < t; i++) {
    for (let j = 0; j < t; j++) {
      const w = num(m[i][j]);
      map.append(el('div', {
        class: 'att-w', dataset: { i: String(i), j: String(j), w: String(w) },
        style: j > i ? null : `background:hsla(24, 90%, 45%, ${w.toFixed(3)})`,
      }));
    }
  }
  map.addEventListener('mouseover', (ev) => {
    const c = ev.target.closest('.att-w');
    if (c) show(+c.dataset.i, +c.dataset.j);
  });
  map.addEventListener('focus', () => show(...at));
  map.addEventListener('keydown', (ev) => {
    const move = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[ev.key];
    if (!move) return;
    ev.preventDefault();
    const i = Math.min(t - 1, Math.max(0, at[0] + move[0]));
    show(i, Math.min(i, Math.max(0, at[1] + move[1]))); // only the past is attended to
  });
  return map;
}

export function initInside() {
  picker = new RunPicker($('in-runs'), 1, update);
  $('in-text').maxLength = store.limits.maxChars;
  $('in-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    update();
  });
  $('in-text').addEventListener('input', debounce(update, 350));
  bus.on('run', (r) => {
    if (r) lastRun = r.id;
  });
  bus.on('runs', () => {
    if (store.route.name !== 'inside') return;
    picker.refresh();
    if (shown && stale(shown.version, paramsVersion(runEntry(shown.id)))) render(store.route);
  });
  bus.on('route', (route) => {
    if (route.name === 'inside') render(route);
  });
}
