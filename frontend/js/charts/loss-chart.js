// A loss chart over steps (uPlot, vendored), shared by the run view and the compare view: any set of series,
// horizontal reference lines, step markers (learning-rate changes). Drag to zoom; the zoom survives live updates;
// double-click or reset() goes back to everything. Log y gets 1-2-3-5 ticks; labels never overprint.
/* global uPlot */

import { fmtLoss, fmtNum } from '../util.js';

const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const AXIS = { stroke: '#5c6370', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#e3e6ea' }, font: FONT, labelFont: FONT, labelSize: 18 };

/** A palette whose neighbours differ in hue and lightness (Tableau 10, reordered). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1', '#edc948', '#9c755f', '#ff9da7', '#bab0ac'];

/** Colour i of n: the palette while it lasts, else n hues spread round the wheel (a 4-block transformer has 12 layers). */
export function colorAt(i, n) {
  if (n <= PALETTE.length) return PALETTE[i % PALETTE.length];
  return `hsl(${Math.round((i * 360) / n)}, 62%, ${i % 2 ? 36 : 50}%)`;
}

/** Debiased EMA (as in Adam / TensorBoard): the early points are not dragged towards 0. */
export function ema(values, beta) {
  const out = new Array(values.length);
  let m = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    n++;
    m = beta * m + (1 - beta) * v;
    out[i] = beta === 0 ? v : m / (1 - beta ** n);
  }
  return out;
}

/** Ticks at 1, 2, 3, 5 x 10^k inside [min, max]; finer steps when that leaves fewer than three. */
export function logTicks(min, max) {
  if (!(min > 0) || !(max > min)) return [];
  const pick = (mantissas) => {
    const out = [];
    for (let e = Math.floor(Math.log10(min)) - 1; e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** e).toPrecision(6));
        if (v >= min && v <= max) out.push(v);
      }
    }
    return out;
  };
  let t = pick([1, 2, 3, 5]);
  if (t.length < 3) t = pick([1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9]);
  if (t.length < 3) t = pick([1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4, 2.6, 2.8, 3, 3.2, 3.4, 3.6, 3.8, 4, 4.5, 5, 6, 7, 8, 9]);
  return t;
}

/** Puts each label at its wanted y, or the nearest free slot above/below: no two labels overlap. */
export function placeLabels(labels, height, minY, maxY) {
  const placed = [];
  const overlaps = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y - height < b.y && b.y - height < a.y;
  for (const l of labels) {
    let best = null;
    for (let k = 0; k < 40 && !best; k++) {
      const dy = (k % 2 ? 1 : -1) * Math.ceil(k / 2) * height;
      const y = l.y + dy;
      if (y - height < minY || y > maxY) continue;
      const cand = { ...l, y };
      if (!placed.some((p) => overlaps(p, cand))) best = cand;
    }
    placed.push(best || l);
  }
  return placed;
}

export class LossChart {
  /** opts: {height, yLabel} */
  constructor(node, opts = {}) {
    this.node = node;
    this.height = opts.height || 300;
    this.yLabel = opts.yLabel || 'NLL (nats/char)';
    this.fitRefs = !!opts.fitRefs; // the y range takes in the reference lines (compare: count models are lines)
    this.logY = false;
    this.series = []; // [{key, label, color, width, dash, points: [[step, v]], dots}]
    this.refs = []; // [{label, value, color}]
    this.marks = []; // [{step, label, color}]
    this.zoom = null; // [min, max] of x while zoomed
    this.u = null;
    this.key = '';
    new ResizeObserver(() => this.u && this.u.setSize(this.size())).observe(node);
    node.addEventListener('dblclick', () => this.reset());
  }

  size() {
    return { width: Math.max(200, Math.floor(this.node.clientWidth)), height: this.height };
  }

  /** Replaces what is drawn; rebuilds the plot only when the set of series changes. */
  set({ series, refs = [], marks = [] }) {
    this.series = series;
    this.refs = refs;
    this.marks = marks;
    const key = `${this.logY}|${series.map((s) => s.key + (s.scale || '')).join(',')}`;
    if (!this.u || key !== this.key) this.build(key);
    else if (this.zoom) {
      this.u.setData(this.data(), false);
      this.u.setScale('x', { min: this.zoom[0], max: this.zoom[1] });
    } else this.u.setData(this.data());
    this.node.dataset.zoomed = String(!!this.zoom);
  }

  reset() {
    this.zoom = null;
    this.node.dataset.zoomed = 'false';
    if (this.u) this.u.setData(this.data());
    if (this.onZoom) this.onZoom(false);
  }

  data() {
    const steps = new Set();
    for (const s of this.series) for (const [x] of s.points) steps.add(x);
    const xs = [...steps].sort((a, b) => a - b);
    const idx = new Map(xs.map((s, i) => [s, i]));
    const ok = (v) => (v != null && Number.isFinite(v) && (!this.logY || v > 0) ? v : null);
    const cols = this.series.map((s) => {
      const c = new Array(xs.length).fill(null);
      for (const [x, v] of s.points) c[idx.get(x)] = ok(v);
      return c;
    });
    return [xs, ...cols];
  }

  build(key) {
    if (this.u) this.u.destroy();
    this.node.textContent = '';
    const value = (u, v) => (v == null ? '—' : fmtLoss(v));
    const series = [{ label: 'step', value: (u, v) => (v == null ? '—' : fmtNum(v)) }, ...this.series.map((s) => ({
      label: s.label, stroke: s.color, width: s.width || 1.5, dash: s.dash, spanGaps: true, value, scale: s.scale || 'y',
      points: s.dots ? { show: true, size: s.dots, fill: s.color } : { show: false },
    }))];
    const span = (mn, mx) => {
      for (const r of this.fitRefs ? this.refs : []) {
        if (Number.isFinite(r.value) && (!this.logY || r.value > 0)) {
          mn = mn == null ? r.value : Math.min(mn, r.value);
          mx = mx == null ? r.value : Math.max(mx, r.value);
        }
      }
      return [mn, mx];
    };
    const y = this.logY
      ? { distr: 3, log: 10, range: (u, a, b) => {
        const [mn, mx] = span(a, b);
        return mn == null || mx == null ? [1, 10] : [mn * 0.97, mx * 1.03];
      } }
      : { distr: 1, range: (u, a, b) => {
        const [mn, mx] = span(a, b);
        if (mn == null || mx == null) return [0, 1];
        const pad = Math.max(1e-3, (mx - mn) * 0.05);
        return [mn - pad, mx + pad];
      } };
    const yAxis = { ...AXIS, label: this.yLabel, size: 52 };
    if (this.logY) {
      yAxis.splits = (u, i, mn, mx) => logTicks(mn, mx);
      yAxis.values = (u, splits) => splits.map((v) => fmtNum(v));
    }
    // a series on its own scale (the L2 penalty: a different size than the NLL) gets an axis on the right
    const side = this.series.find((s) => s.scale);
    const scales = { x: { time: false }, y };
    const axes = [{ ...AXIS, label: 'step' }, yAxis];
    if (side) {
      scales[side.scale] = { auto: true };
      axes.push({ ...AXIS, scale: side.scale, side: 1, label: side.label, grid: { show: false }, size: 52, stroke: side.color });
    }
    this.u = new uPlot({
      ...this.size(),
      scales,
      series,
      axes,
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      legend: { live: true },
      hooks: {
        draw: [(u) => this.decorate(u)],
        setScale: [(u, key) => {
          if (key === 'x') this.node.dataset.xmax = String(Math.round(u.scales.x.max ?? 0));
        }],
        setSelect: [(u) => {
          if (u.select.width > 2) {
            this.zoom = [u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x')];
            this.node.dataset.zoomed = 'true';
            if (this.onZoom) this.onZoom(true);
          }
        }],
      },
    }, this.data(), this.node);
    this.key = key;
    if (this.zoom) this.u.setScale('x', { min: this.zoom[0], max: this.zoom[1] });
  }

  decorate(u) {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const px = devicePixelRatio || 1;
    const lh = 12 * px;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.font = `${10 * px}px system-ui, sans-serif`;
    ctx.lineWidth = px;
    const labels = [];
    for (const r of this.refs) {
      if (r.value == null || !Number.isFinite(r.value)) continue;
      const yy = u.valToPos(r.value, 'y', true);
      if (yy < top || yy > top + height) continue;
      ctx.strokeStyle = r.color || '#8a94a6';
      ctx.setLineDash(r.dash || [4 * px, 4 * px]);
      ctx.beginPath();
      ctx.moveTo(left, yy);
      ctx.lineTo(left + width, yy);
      ctx.stroke();
      const text = `${r.label} ${r.value.toFixed(3)}`;
      const w = ctx.measureText(text).width;
      labels.push({ text, color: r.color || '#8a94a6', x0: left + width - 4 * px - w, x1: left + width - 4 * px, y: yy - 3 * px, align: 'right' });
    }
    for (const m of this.marks) {
      const x = u.valToPos(m.step, 'x', true);
      if (x < left || x > left + width) continue;
      ctx.strokeStyle = m.color || '#9c36b5';
      ctx.setLineDash([2 * px, 3 * px]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      const w = ctx.measureText(m.label).width;
      const right = x + 3 * px + w > left + width;
      labels.push({ text: m.label, color: m.color || '#9c36b5', x0: right ? x - 3 * px - w : x + 3 * px, x1: right ? x - 3 * px : x + 3 * px + w, y: top + lh, align: 'left', mark: true });
    }
    ctx.setLineDash([]);
    // markers first (they sit at the top and move down), then reference labels around their lines
    const order = [...labels.filter((l) => l.mark), ...labels.filter((l) => !l.mark)];
    const placed = placeLabels(order, lh, top, top + height);
    for (const l of placed) {
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(l.x0 - px, l.y - lh + 2 * px, l.x1 - l.x0 + 2 * px, lh);
      ctx.fillStyle = l.color;
      ctx.textAlign = 'left';
      ctx.fillText(l.text, l.x0, l.y);
    }
    this.node.dataset.labels = String(placed.length);
    ctx.restore();
  }
}
