// The explain strip: why the open run scores a text as it does, one cell per position (each character, then the
// end '.'): a bar as tall as p(next), coloured by the surprise −ln p, and the five likeliest next characters.
// Not a panel: the panels that list texts (samples, the probe) each give it a box, so the strip shows up next to
// what was hovered or focused. The answers are shared with the compare mode and the explorer (explain-client.js);
// the compare mode (panels/explain-compare.js) stacks these cells, one row per run.

import { explainText } from './explain-client.js';
import { links } from './state.js';
import { el, clear, num, fmtLoss, fmtInt } from './util.js';

const LIVE = ['queued', 'running'];
const TOP = 5;

/** A space would be an empty cell: show it. */
export const glyph = (ch) => (ch === ' ' ? '␣' : ch);

/** Short enough for a 44 px cell: .42, 3e-3. */
export function fmtP(p) {
  if (p == null || Number.isNaN(p)) return '—';
  if (p === 0) return '0'; // top-k, or a count model without smoothing, rules the character out
  return p >= 0.01 ? p.toFixed(2).replace(/^0\./, '.') : p.toExponential(0);
}

/** Green for an expected character through red for one no likelier than a uniform guess (−ln p >= ln V). */
function surpriseColour(nll, lnV) {
  const t = Number.isFinite(nll) ? Math.min(1, Math.max(0, nll / lnV)) : 1;
  return `hsl(${Math.round(130 * (1 - t))}, 68%, ${Math.round(40 + 6 * Math.sin(Math.PI * t))}%)`;
}

export class ExplainStrip {
  constructor(box) {
    this.box = box;
    this.shown = null; // the key on show (or on its way), so hovering the same text again asks nothing
    this.token = 0; // only the latest request may draw: answers can come back out of order
  }

  /** Shows `text` under run `runId` with the parameters named by `version`. */
  async show(runId, version, text) {
    const key = `${runId}\n${version}\n${text}`;
    if (this.shown === key) return;
    this.shown = key;
    const token = ++this.token;
    if (text === '') {
      this.draw('shown', head(text), el('p', { class: 'x-msg muted' }, 'the model ended this name at once: no character to explain'));
      return;
    }
    // keep the height while the answer comes, so what lies below the strip does not jump up and back
    const keep = this.box.hidden ? '' : `${this.box.offsetHeight}px`;
    this.draw('loading', head(text), el('p', { class: 'x-msg muted' }, 'explaining…'));
    this.box.style.minHeight = keep;
    let res;
    try {
      res = await explainText(runId, version, text);
    } catch (e) {
      if (token === this.token) this.draw('error', head(text), el('p', { class: 'x-msg err', role: 'alert' }, `Cannot explain it: ${e.message}`));
      return;
    }
    if (token === this.token) this.draw('shown', ...strip(res, runId));
  }

  draw(state, ...parts) {
    this.box.style.minHeight = '';
    this.box.dataset.state = state;
    clear(this.box).append(...parts);
    this.box.hidden = false;
  }

  clear() {
    this.token++;
    this.shown = null;
    clear(this.box);
    this.box.hidden = true;
    delete this.box.dataset.state;
  }
}

export function head(text, ...rest) {
  const h = el('div', { class: 'x-head' });
  h.append(el('span', { class: 'x-text mono' }, text === '' ? '(empty)' : `"${text}"`), ...rest);
  return h;
}

/** The whole strip for one answer: its head (with a link comparing the text under other runs), the cells, the legend. */
function strip(res, runId) {
  const cells = el('div', { class: 'x-cells' });
  res.positions.forEach((pos, i) => cells.append(positionCell(res, i)));
  const extra = [el('span', { class: 'x-nll strong' }, `mean NLL ${fmtLoss(res.nll)}`),
    el('span', { class: 'muted' }, `over ${res.positions.length} positions`)];
  const step = stepNote(res);
  if (step) extra.push(el('span', { class: 'x-step' }, step));
  extra.push(el('a', { class: 'x-compare', href: links.explain([runId], res.text) }, 'compare runs…'));
  return [head(res.text, ...extra), cells, legendFor(res.vocab.length)];
}

/** Which evaluation's parameters a run still training answered with; null once it has ended. */
export function stepNote(res) {
  return LIVE.includes(res.status) && res.parametersFromStep != null
    ? `parameters from step ${fmtInt(res.parametersFromStep)} (best dev so far; still training)` : null;
}

/** Position `i` of an answer: a bar as tall as p(next) coloured by surprise, the character, p, the likeliest five. */
export function positionCell(res, i) {
  const vocab = res.vocab;
  const lnV = Math.log(vocab.length);
  const chars = Array.from(res.text);
  const pos = res.positions[i];
  const p = num(pos.p[vocab.indexOf(pos.next)]) ?? 0;
  const nll = num(pos.nll);
  const before = i === 0 ? 'at the start' : `after "${chars.slice(0, i).join('')}"`;
  const cell = el('div', { class: 'pos', dataset: { p: String(p) }, title: `${before}: p(${glyph(pos.next)}) = ${p.toPrecision(3)}, −ln p = ${fmtLoss(nll)}` });
  const bar = el('div', { class: 'bar' });
  bar.append(el('div', { class: 'fill', style: `height:${Math.round(p * 100)}%;background:${surpriseColour(nll, lnV)}` }));
  const alts = el('ol', { class: 'alts', 'aria-label': `the ${TOP} likeliest ${before}` });
  const order = vocab.map((ch, k) => [ch, num(pos.p[k])]).sort((a, b) => b[1] - a[1]).slice(0, TOP);
  for (const [ch, q] of order) {
    const li = el('li', { class: ch === pos.next ? 'hit' : null });
    li.append(el('span', { class: 'mono' }, glyph(ch)), ` ${fmtP(q)}`);
    alts.append(li);
  }
  cell.append(bar, el('div', { class: 'ch mono' }, glyph(pos.next)), el('div', { class: 'p' }, fmtP(p)), alts);
  return cell;
}

export function legendFor(v) {
  const lnV = Math.log(v);
  const legend = el('div', { class: 'x-legend muted' });
  legend.append(`bar: p(next) · colour: surprise −ln p, `, el('span', { class: 'x-scale', 'aria-hidden': 'true' }),
    ` 0 to ≥ ln ${v} = ${lnV.toFixed(2)} (no better than a uniform guess) · list: the ${TOP} likeliest next`);
  return legend;
}

/**
 * Calls `pick(item)` for the item of `container` matching `selector` (or the container itself, with no selector)
 * that the pointer rests on or the keyboard focuses: after a pause, so sweeping over a list asks nothing. A list
 * redrawn under a resting pointer (a training run's samples) fires mouseover where the pointer already was: that
 * neither restarts the pause nor changes the name the user chose.
 */
export function explainOn(container, selector, pick, ms = 150) {
  let timer = null;
  let where = null;
  const later = (item) => {
    clearTimeout(timer);
    timer = item && setTimeout(() => pick(item), ms);
  };
  const itemOf = (target) => {
    const item = selector ? target.closest(selector) : container;
    return item && container.contains(item) ? item : null;
  };
  container.addEventListener('mouseover', (ev) => {
    const at = `${ev.clientX},${ev.clientY}`;
    if (at === where) return;
    where = at;
    later(itemOf(ev.target));
  });
  container.addEventListener('focusin', (ev) => later(itemOf(ev.target)));
  container.addEventListener('mouseleave', () => {
    where = null;
    later(null);
  });
}
