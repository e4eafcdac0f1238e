// Parallel coordinates for a sweep of three or more fields (SVG): one vertical axis per swept field that varies, and
// dev last; each point with a dev is a line across them, coloured by its dev (dark is low, good). Dragging along an
// axis brushes a range and fades the lines outside it; the min/max boxes under the chart do the same from the
// keyboard. A click on a line (or Enter on it) opens its run.

import { el, clear, fmtNum, fmtLoss } from '../util.js';

const NS = 'http://www.w3.org/2000/svg';
const fin = (v) => v != null && Number.isFinite(v);
// viridis, stopped short of its yellow end so the worst lines still show on white
const RAMP = [[68, 1, 84], [65, 68, 135], [42, 120, 142], [34, 168, 132], [122, 209, 81], [180, 222, 44]];
const TOP = 30;
const BOTTOM = 26;
const HEIGHT = 300;

/** A colour on the ramp; t in [0, 1], 0 the lowest dev. */
export function devColour(t) {
  const x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const c = RAMP[i].map((v, j) => Math.round(v + (RAMP[i + 1][j] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) e.setAttribute(k, String(v));
  if (text != null) e.textContent = String(text);
  return e;
}

/** Maps an axis's values to [0, 1] (log axes in log space); a constant axis sits in the middle. */
function scaleOf(values, log) {
  const t = (v) => (log ? Math.log10(v) : v);
  const xs = values.filter((v) => fin(v) && (!log || v > 0)).map(t);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const span = hi - lo;
  return {
    lo: xs.length ? (log ? 10 ** lo : lo) : 0,
    hi: xs.length ? (log ? 10 ** hi : hi) : 1,
    at: (v) => (span > 0 ? (t(v) - lo) / span : 0.5),
    inv: (u) => (log ? 10 ** (lo + u * span) : lo + u * span),
  };
}

export class ParallelCoords {
  constructor(wrap, { onOpen } = {}) {
    this.wrap = wrap;
    this.onOpen = onOpen;
    this.brush = new Map(); // axis key -> [lo, hi] in the axis's own units
    this.svg = svg('svg', { class: 'pc-svg', id: 'sw-pc', role: 'group', 'aria-label': 'parallel coordinates: one line per run' });
    this.count = el('div', { class: 'muted pc-count', id: 'sw-pc-count', 'aria-live': 'polite' });
    this.ranges = el('div', { class: 'pc-ranges', id: 'sw-pc-ranges' });
    const clearBtn = el('button', { type: 'button', class: 'small', id: 'sw-pc-clear', onclick: () => this.clearBrushes() }, 'Clear brushes');
    const foot = el('div', { class: 'row wrap pc-foot' });
    foot.append(this.count, clearBtn);
    wrap.append(this.svg, foot, this.ranges);
    this.svg.addEventListener('pointerdown', (e) => this.down(e));
    this.svg.addEventListener('pointermove', (e) => this.move(e));
    this.svg.addEventListener('pointerup', (e) => this.up(e));
    new ResizeObserver(() => this.data && this.draw()).observe(wrap);
  }

  /** axes: [{key, label, log}] with dev last; points: [{index, run, label, status, values: {key: number}}]. */
  set(data) {
    this.data = data;
    const sig = data.axes.map((a) => a.key).join(',');
    if (sig !== this.sig) {
      this.sig = sig;
      for (const k of [...this.brush.keys()]) if (!data.axes.some((a) => a.key === k)) this.brush.delete(k);
      this.buildRanges();
    }
    this.draw();
  }

  lines() {
    return this.data.points.filter((p) => this.data.axes.every((a) => fin(p.values[a.key])));
  }

  draw() {
    const { axes } = this.data;
    const lines = this.lines();
    const w = Math.max(300, Math.floor(this.wrap.clientWidth));
    const left = 44;
    const right = 64;
    const gap = (w - left - right) / Math.max(1, axes.length - 1);
    this.layout = axes.map((a, i) => ({ ...a, x: left + i * gap, s: scaleOf(lines.map((p) => p.values[a.key]), a.log) }));
    const y = (ax, v) => TOP + (1 - ax.s.at(v)) * (HEIGHT - TOP - BOTTOM);
    const s = clear(this.svg);
    s.setAttribute('width', w);
    s.setAttribute('height', HEIGHT);
    const dev = this.layout[this.layout.length - 1].s;
    const shown = [];
    const faded = [];
    for (const p of lines) {
      const d = this.layout.map((ax, i) => `${i ? 'L' : 'M'}${ax.x.toFixed(1)} ${y(ax, p.values[ax.key]).toFixed(1)}`).join(' ');
      const inside = this.layout.every((ax) => !this.brush.has(ax.key) || (p.values[ax.key] >= this.brush.get(ax.key)[0] && p.values[ax.key] <= this.brush.get(ax.key)[1]));
      const words = this.layout.map((ax) => `${ax.label} ${ax.key === 'dev' ? fmtLoss(p.values.dev) : fmtNum(p.values[ax.key])}`).join(', ');
      const path = svg('path', {
        d, class: `pc-line${inside ? '' : ' faded'}${p.status === 'finished' ? '' : ' live'}`, stroke: devColour(dev.at(p.values.dev)),
        tabindex: inside ? 0 : -1, role: 'link', 'aria-label': `run ${p.label}: ${words}`, 'data-index': p.index, 'data-run': p.run, 'data-shown': inside,
      });
      path.append(svg('title', {}, `${p.label} · ${words}${p.status === 'finished' ? '' : ` (${p.status})`}`));
      path.addEventListener('click', () => !this.dragged && p.run && this.onOpen && this.onOpen(p.run));
      path.addEventListener('keydown', (e) => e.key === 'Enter' && p.run && this.onOpen && this.onOpen(p.run));
      (inside ? shown : faded).push(path);
    }
    s.append(...faded, ...shown); // the lines that pass the brushes on top
    for (const ax of this.layout) s.append(this.axis(ax, y, lines));
    this.count.textContent = `${shown.length} of ${lines.length} shown`;
    this.count.dataset.shown = String(shown.length);
    this.count.dataset.total = String(lines.length);
  }

  axis(ax, y, lines) {
    const g = svg('g', { class: 'pc-axis', 'data-key': ax.key, 'data-x': ax.x.toFixed(1), 'data-top': TOP, 'data-bottom': HEIGHT - BOTTOM });
    if (ax.key === 'dev') { // the dev axis carries the colour ramp: it is the legend
      for (let i = 0; i < 20; i++) {
        const y0 = TOP + (i / 20) * (HEIGHT - TOP - BOTTOM);
        g.append(svg('rect', { x: ax.x - 3, y: y0, width: 6, height: (HEIGHT - TOP - BOTTOM) / 20 + 0.5, fill: devColour(1 - (i + 0.5) / 20) }));
      }
    } else {
      g.append(svg('line', { x1: ax.x, x2: ax.x, y1: TOP, y2: HEIGHT - BOTTOM, class: 'pc-axis-line' }));
    }
    g.append(svg('text', { x: ax.x, y: TOP - 12, class: 'pc-label', 'text-anchor': 'middle' }, ax.label + (ax.log ? ' (log)' : '')));
    const distinct = [...new Set(lines.map((p) => p.values[ax.key]))].sort((a, b) => a - b);
    const ticks = distinct.length <= 6 && ax.key !== 'dev' ? distinct : [0, 0.25, 0.5, 0.75, 1].map((u) => ax.s.inv(u));
    for (const v of ticks) {
      g.append(svg('text', { x: ax.x + 6, y: y(ax, v) + 4, class: 'pc-tick' }, ax.key === 'dev' ? v.toFixed(3) : fmtNum(v)));
    }
    const b = this.brush.get(ax.key);
    if (b) {
      const lo = Math.max(ax.s.lo, b[0]);
      const hi = Math.min(ax.s.hi, b[1]);
      const top = y(ax, hi);
      g.append(svg('rect', { x: ax.x - 9, y: top, width: 18, height: Math.max(2, y(ax, lo) - top), class: 'pc-brush', 'data-lo': b[0], 'data-hi': b[1] }));
    }
    return g;
  }

  /** The axis under a pointer (within 14 px of it, between its ends), and the pointer's height on it in [0, 1]. */
  hit(e) {
    if (!this.layout) return null;
    const r = this.svg.getBoundingClientRect();
    const x = e.clientX - r.left;
    const yy = e.clientY - r.top;
    const ax = this.layout.find((a) => Math.abs(a.x - x) <= 14);
    if (!ax || yy < TOP - 6 || yy > HEIGHT - BOTTOM + 6) return null;
    return { ax, u: Math.max(0, Math.min(1, 1 - (yy - TOP) / (HEIGHT - TOP - BOTTOM))) };
  }

  down(e) {
    const h = this.hit(e);
    this.drag = h && { ax: h.ax, from: h.u, to: h.u };
    this.dragged = false;
    if (this.drag) {
      this.svg.setPointerCapture(e.pointerId);
      e.preventDefault();
    }
  }

  move(e) {
    if (!this.drag) return;
    const r = this.svg.getBoundingClientRect();
    this.drag.to = Math.max(0, Math.min(1, 1 - (e.clientY - r.top - TOP) / (HEIGHT - TOP - BOTTOM)));
    if (Math.abs(this.drag.to - this.drag.from) * (HEIGHT - TOP - BOTTOM) >= 3) {
      this.dragged = true;
      this.setBrush(this.drag.ax.key, this.drag.ax.s.inv(Math.min(this.drag.from, this.drag.to)), this.drag.ax.s.inv(Math.max(this.drag.from, this.drag.to)));
    }
  }

  up() {
    // a click on an axis without a drag clears its brush (and opens no run)
    if (this.drag && !this.dragged && this.brush.has(this.drag.ax.key)) {
      this.dragged = true;
      this.setBrush(this.drag.ax.key, null, null);
    }
    this.drag = null;
    setTimeout(() => (this.dragged = false), 0); // after the click this pointer-up makes
  }

  setBrush(key, lo, hi) {
    if (lo == null && hi == null) this.brush.delete(key);
    else this.brush.set(key, [lo ?? -Infinity, hi ?? Infinity]);
    const b = this.brush.get(key);
    const show = (v) => (v == null || !Number.isFinite(v) ? '' : key === 'dev' ? v.toFixed(4) : fmtNum(v));
    const min = this.ranges.querySelector(`[data-key="${key}"][data-end="min"]`);
    const max = this.ranges.querySelector(`[data-key="${key}"][data-end="max"]`);
    if (min && document.activeElement !== min) min.value = b ? show(b[0]) : '';
    if (max && document.activeElement !== max) max.value = b ? show(b[1]) : '';
    if (this.layout) this.draw();
  }

  clearBrushes() {
    for (const k of [...this.brush.keys()]) this.setBrush(k, null, null);
  }

  /** Min/max boxes per axis: the brush from the keyboard (an empty box is open-ended). */
  buildRanges() {
    clear(this.ranges);
    for (const a of this.data.axes) {
      const box = el('div', { class: 'pc-range' });
      const read = () => {
        const [min, max] = ['min', 'max'].map((end) => box.querySelector(`[data-end="${end}"]`).value.trim());
        const lo = min === '' ? null : Number(min);
        const hi = max === '' ? null : Number(max);
        if ((lo != null && !Number.isFinite(lo)) || (hi != null && !Number.isFinite(hi))) return;
        this.setBrush(a.key, lo, hi);
      };
      box.append(el('span', { class: 'mono tiny' }, a.label));
      for (const end of ['min', 'max']) {
        box.append(el('input', {
          type: 'text', inputmode: 'decimal', class: 'val', id: `sw-pc-${end}-${a.key}`, placeholder: end,
          'aria-label': `${a.label} ${end}`, dataset: { key: a.key, end }, onchange: read,
        }));
      }
      this.ranges.append(box);
    }
  }
}
