// Drawing: the loss chart and the k plot (uPlot, vendored), the embedding scatter and the bigram heatmap (canvas).
/* global uPlot */

import { fmtLoss, fmtNum } from './util.js';

export const COLORS = {
  train: '#2f6fde',
  trainRaw: 'rgba(47,111,222,0.28)',
  trainFull: '#7aa5ee',
  dev: '#e8590c',
  ref: '#8a94a6',
  lr: '#9c36b5',
  overlay: ['#0ca678', '#d6336c', '#5f3dc4', '#f08c00', '#1098ad', '#495057', '#74b816'],
};

const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

function sizeOf(node, height) {
  return { width: Math.max(200, Math.floor(node.clientWidth)), height };
}

function lossValue(u, v) {
  return v == null ? '—' : fmtLoss(v);
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

/**
 * The loss chart: x = step; series train raw (thin, faint), train EMA, dev (bold + points), train full-split evals,
 * and dev curves of compared runs (dashed). Draws reference lines and learning-rate change marks.
 */
export class LossChart {
  constructor(node) {
    this.node = node;
    this.logY = false;
    this.beta = 0.8;
    this.run = null;
    this.overlays = [];
    this.refs = [];
    this.u = null;
    this.key = '';
    new ResizeObserver(() => this.u && this.u.setSize(sizeOf(this.node, 300))).observe(node);
  }

  setRun(run) {
    this.run = run;
  }

  /** overlays: [{id, label, evals:[{step, loss}]}] */
  setOverlays(list) {
    this.overlays = list;
  }

  setRefs(refs) {
    this.refs = refs;
  }

  build(seriesKey) {
    if (this.u) this.u.destroy();
    this.node.textContent = '';
    const series = [
      { label: 'step', value: (u, v) => (v == null ? '—' : fmtNum(v)) },
      { label: 'train (batch)', stroke: COLORS.trainRaw, width: 1, spanGaps: true, points: { show: false }, value: lossValue },
      { label: 'train EMA', stroke: COLORS.train, width: 1.25, spanGaps: true, points: { show: false }, value: lossValue },
      { label: 'train (full)', stroke: COLORS.trainFull, width: 1, dash: [2, 3], spanGaps: true, points: { show: true, size: 4 }, value: lossValue },
      { label: 'dev', stroke: COLORS.dev, width: 2.5, spanGaps: true, points: { show: true, size: 6, fill: COLORS.dev }, value: lossValue },
    ];
    this.overlays.forEach((o, i) => series.push({
      label: `dev ${o.label}`, stroke: COLORS.overlay[i % COLORS.overlay.length], width: 1.75, dash: [6, 4],
      spanGaps: true, points: { show: true, size: 4 }, value: lossValue,
    }));
    const opts = {
      ...sizeOf(this.node, 300),
      scales: {
        x: { time: false },
        // log y: hug the data instead of padding out to whole decades
        y: this.logY ? { distr: 3, range: (u, mn, mx) => (mn == null || mx == null ? [1, 10] : [mn * 0.97, mx * 1.03]) } : { distr: 1 },
      },
      series,
      axes: [
        { label: 'step', stroke: '#5c6370', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#e3e6ea' }, font: FONT, labelFont: FONT, labelSize: 18 },
        { label: 'NLL (nats/char)', stroke: '#5c6370', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#e3e6ea' }, font: FONT, labelFont: FONT, labelSize: 18, size: 50 },
      ],
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      legend: { live: true },
      hooks: { draw: [(u) => this.decorate(u)] },
    };
    this.u = new uPlot(opts, this.data(), this.node);
    this.key = seriesKey;
  }

  data() {
    const run = this.run;
    const steps = new Set();
    const prog = run ? run.progress : [];
    const evals = run ? run.evals : [];
    for (const p of prog) steps.add(p.step);
    for (const e of evals) steps.add(e.step);
    for (const o of this.overlays) for (const e of o.evals) steps.add(e.step);
    const xs = [...steps].sort((a, b) => a - b);
    const idx = new Map(xs.map((s, i) => [s, i]));
    const col = () => new Array(xs.length).fill(null);
    const raw = col();
    const full = col();
    const dev = col();
    const ok = (v) => (v != null && Number.isFinite(v) && (!this.logY || v > 0) ? v : null);
    for (const p of prog) raw[idx.get(p.step)] = ok(p.trainLoss);
    for (const e of evals) (e.split === 'dev' ? dev : full)[idx.get(e.step)] = ok(e.loss);
    const rawOnly = prog.map((p) => ok(p.trainLoss));
    const sm = ema(rawOnly, this.beta);
    const smooth = col();
    prog.forEach((p, i) => (smooth[idx.get(p.step)] = sm[i]));
    const data = [xs, raw, smooth, full, dev];
    for (const o of this.overlays) {
      const c = col();
      for (const e of o.evals) c[idx.get(e.step)] = ok(e.loss);
      data.push(c);
    }
    return data;
  }

  update() {
    const key = `${this.logY}|${this.overlays.map((o) => o.id).join(',')}`;
    if (!this.u || key !== this.key) this.build(key);
    else this.u.setData(this.data());
  }

  decorate(u) {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const px = devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.font = `${10 * px}px system-ui, sans-serif`;
    ctx.lineWidth = px;
    for (const r of this.refs) {
      if (r.value == null || !Number.isFinite(r.value)) continue;
      const y = u.valToPos(r.value, 'y', true);
      if (y < top || y > top + height) continue;
      ctx.strokeStyle = r.color || COLORS.ref;
      ctx.setLineDash([4 * px, 4 * px]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = r.color || COLORS.ref;
      ctx.textAlign = 'right';
      ctx.fillText(`${r.label} ${r.value.toFixed(3)}`, left + width - 4 * px, y - 3 * px);
    }
    const changes = this.run ? this.run.lrChanges || [] : [];
    for (const c of changes) {
      const x = u.valToPos(c.step, 'x', true);
      if (x < left || x > left + width) continue;
      ctx.strokeStyle = COLORS.lr;
      ctx.setLineDash([2 * px, 3 * px]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = COLORS.lr;
      ctx.textAlign = 'left';
      ctx.fillText(`lr → ${fmtNum(c.lr)}`, x + 3 * px, top + 12 * px);
    }
    ctx.restore();
  }

  destroy() {
    if (this.u) this.u.destroy();
    this.u = null;
    this.key = '';
  }
}

/** Dev (and train) NLL against smoothing k, on a log k axis; marks the current k. */
export class KPlot {
  constructor(node) {
    this.node = node;
    this.points = new Map(); // k -> {train, dev, explored}
    this.current = null;
    this.u = null;
    new ResizeObserver(() => this.u && this.u.setSize(sizeOf(this.node, 200))).observe(node);
  }

  reset() {
    this.points.clear();
    this.current = null;
    this.draw();
  }

  add(k, train, dev, explored) {
    const old = this.points.get(k);
    this.points.set(k, { train, dev, explored: explored || (old && old.explored) });
    this.draw();
  }

  setCurrent(k) {
    this.current = k;
    if (this.u) this.u.redraw(false);
  }

  data() {
    const ks = [...this.points.keys()].filter((k) => k > 0).sort((a, b) => a - b);
    const fin = (v) => (v != null && Number.isFinite(v) ? v : null);
    return [ks, ks.map((k) => fin(this.points.get(k).train)), ks.map((k) => fin(this.points.get(k).dev)),
      ks.map((k) => (this.points.get(k).explored ? fin(this.points.get(k).dev) : null))];
  }

  draw() {
    if (!this.u) {
      this.node.textContent = '';
      this.u = new uPlot({
        ...sizeOf(this.node, 200),
        scales: { x: { time: false, distr: 3 } },
        series: [
          { label: 'k', value: (u, v) => (v == null ? '—' : fmtNum(v)) },
          { label: 'train', stroke: COLORS.train, width: 1, points: { show: false }, value: lossValue },
          { label: 'dev', stroke: COLORS.dev, width: 2, points: { show: false }, value: lossValue },
          { label: 'explored', stroke: 'transparent', width: 0, paths: () => null, points: { show: true, size: 7, fill: COLORS.dev, stroke: '#fff' }, value: lossValue },
        ],
        axes: [
          { label: 'smoothing k', stroke: '#5c6370', grid: { stroke: '#eef0f3' }, font: FONT, labelFont: FONT, labelSize: 18 },
          { label: 'NLL', stroke: '#5c6370', grid: { stroke: '#eef0f3' }, font: FONT, labelFont: FONT, labelSize: 18, size: 46 },
        ],
        legend: { live: true },
        hooks: {
          draw: [(u) => {
            if (this.current == null || !(this.current > 0)) return;
            const x = u.valToPos(this.current, 'x', true);
            const { top, height, left, width } = u.bbox;
            if (x < left || x > left + width) return;
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = COLORS.lr;
            ctx.lineWidth = devicePixelRatio || 1;
            ctx.setLineDash([3, 3]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.restore();
          }],
        },
      }, this.data(), this.node);
    } else {
      this.u.setData(this.data());
    }
  }
}

function setupCanvas(canvas, cssW, cssH) {
  const px = devicePixelRatio || 1;
  canvas.style.width = cssW + 'px';
  canvas.style.height = cssH + 'px';
  canvas.width = Math.round(cssW * px);
  canvas.height = Math.round(cssH * px);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(px, 0, 0, px, 0, 0);
  return ctx;
}

/** Each character as a labelled point; points glide to their new place when a new embedding arrives. */
export class Scatter {
  constructor(canvas) {
    this.canvas = canvas;
    this.points = [];
    this.from = new Map();
    this.t0 = 0;
    this.bounds = null;
    this.empty = '';
    new ResizeObserver(() => this.render(1)).observe(canvas.parentElement);
  }

  set(points) {
    const now = this.current();
    this.from = now;
    this.points = points || [];
    this.canvas.dataset.points = String(this.points.length);
    this.t0 = performance.now();
    const step = () => {
      const t = Math.min(1, (performance.now() - this.t0) / 350);
      this.render(t);
      if (t < 1) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }

  current() {
    const m = new Map();
    for (const p of this.points) m.set(p.ch, { x: p.x, y: p.y });
    return m;
  }

  render(t) {
    const wrap = this.canvas.parentElement;
    const cs = getComputedStyle(wrap);
    const w = Math.max(200, Math.floor(wrap.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)));
    const h = 300;
    const ctx = setupCanvas(this.canvas, w, h);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    const pts = this.points;
    ctx.font = FONT;
    if (!pts.length) {
      ctx.fillStyle = '#8a94a6';
      ctx.textAlign = 'center';
      ctx.fillText(this.empty || 'the MLP\u2019s character embedding appears at the first evaluation', w / 2, h / 2);
      return;
    }
    const ease = t * t * (3 - 2 * t);
    const pos = pts.map((p) => {
      const f = this.from.get(p.ch);
      const x = Number(p.x);
      const y = Number(p.y);
      return f ? { ch: p.ch, x: f.x + (x - f.x) * ease, y: f.y + (y - f.y) * ease } : { ch: p.ch, x, y };
    });
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const p of pos) {
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    }
    const pad = 22;
    const sx = (w - 2 * pad) / Math.max(1e-9, x1 - x0);
    const sy = (h - 2 * pad) / Math.max(1e-9, y1 - y0);
    const s = Math.min(sx, sy);
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    // origin cross
    ctx.strokeStyle = '#eef0f3';
    ctx.lineWidth = 1;
    const ox = w / 2 - cx * s;
    const oy = h / 2 + cy * s;
    ctx.beginPath();
    ctx.moveTo(0, oy); ctx.lineTo(w, oy); ctx.moveTo(ox, 0); ctx.lineTo(ox, h);
    ctx.stroke();
    const vowels = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = '600 11px ui-monospace, "SF Mono", Menlo, Consolas, monospace';
    for (const p of pos) {
      const X = w / 2 + (p.x - cx) * s;
      const Y = h / 2 - (p.y - cy) * s;
      const boundary = p.ch === '.';
      ctx.beginPath();
      ctx.arc(X, Y, 9, 0, 2 * Math.PI);
      ctx.fillStyle = boundary ? '#e8590c' : vowels.has(p.ch) ? '#dbe7fb' : '#f1f3f5';
      ctx.fill();
      ctx.strokeStyle = boundary ? '#c2410c' : vowels.has(p.ch) ? '#2f6fde' : '#adb5bd';
      ctx.stroke();
      ctx.fillStyle = boundary ? '#fff' : '#1f2328';
      ctx.fillText(p.ch, X, Y + 0.5);
    }
    ctx.textBaseline = 'alphabetic';
  }
}

const BLUES = [[247, 251, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]];

/** A sequential blue ramp (ColorBrewer Blues), t in [0, 1]. */
function blues(t) {
  const x = Math.max(0, Math.min(1, t)) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(x));
  const f = x - i;
  const c = BLUES[i].map((v, j) => Math.round(v + (BLUES[i + 1][j] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** The lecture's imshow of bigram counts: letters on both axes, each cell with its pair and count. */
export class Heatmap {
  constructor(canvas, tip) {
    this.canvas = canvas;
    this.tip = tip;
    this.vocab = [];
    this.counts = [];
    this.mode = 'counts';
    this.k = 1;
    this.geom = null;
    canvas.addEventListener('mousemove', (e) => this.hover(e));
    canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    new ResizeObserver(() => this.vocab.length && this.draw()).observe(canvas.parentElement);
  }

  set(vocab, counts, k) {
    this.vocab = vocab || [];
    this.counts = counts || [];
    this.k = k;
    this.draw();
  }

  prob(r, c) {
    const row = this.counts[r];
    const total = row.reduce((a, b) => a + b, 0) + this.k * row.length;
    return total > 0 ? (row[c] + this.k) / total : 0;
  }

  draw() {
    const V = this.vocab.length;
    const wrap = this.canvas.parentElement;
    if (!V || !this.counts.length) {
      this.canvas.hidden = true;
      this.canvas.dataset.cells = '0';
      return;
    }
    this.canvas.hidden = false;
    const margin = 18;
    const cell = Math.max(8, Math.min(34, Math.floor((wrap.clientWidth - margin - 4) / V)));
    const size = margin + cell * V;
    const ctx = setupCanvas(this.canvas, size, size);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    let max = 0;
    for (let r = 0; r < V; r++) for (let c = 0; c < V; c++) {
      const v = this.mode === 'counts' ? this.counts[r][c] : this.prob(r, c);
      if (v > max) max = v;
    }
    const showText = cell >= 24;
    ctx.textAlign = 'center';
    for (let r = 0; r < V; r++) {
      for (let c = 0; c < V; c++) {
        const v = this.mode === 'counts' ? this.counts[r][c] : this.prob(r, c);
        const t = max > 0 ? Math.sqrt(v / max) : 0;
        const x = margin + c * cell;
        const y = margin + r * cell;
        ctx.fillStyle = blues(t);
        ctx.fillRect(x, y, cell - 1, cell - 1);
        if (showText) {
          ctx.fillStyle = t > 0.5 ? '#fff' : '#3a4a5c';
          ctx.font = `${Math.max(7, Math.floor(cell / 3.4))}px ui-monospace, Menlo, Consolas, monospace`;
          ctx.fillText(this.vocab[r] + this.vocab[c], x + cell / 2, y + cell * 0.4);
          const label = this.mode === 'counts' ? String(v) : v >= 0.095 ? v.toFixed(1) : v.toFixed(2).slice(1);
          ctx.fillText(label, x + cell / 2, y + cell * 0.8);
        }
      }
    }
    ctx.fillStyle = '#1f2328';
    ctx.font = '600 11px ui-monospace, Menlo, Consolas, monospace';
    for (let i = 0; i < V; i++) {
      ctx.fillText(this.vocab[i], margin + i * cell + cell / 2, 13);
      ctx.fillText(this.vocab[i], 8, margin + i * cell + cell / 2 + 4);
    }
    this.geom = { margin, cell, V };
    this.canvas.dataset.cells = String(V * V);
    this.canvas.dataset.mode = this.mode;
  }

  hover(e) {
    if (!this.geom) return;
    const { margin, cell, V } = this.geom;
    const rect = this.canvas.getBoundingClientRect();
    const c = Math.floor((e.clientX - rect.left - margin) / cell);
    const r = Math.floor((e.clientY - rect.top - margin) / cell);
    if (r < 0 || c < 0 || r >= V || c >= V) {
      this.tip.hidden = true;
      return;
    }
    this.tip.hidden = false;
    this.tip.textContent = `${this.vocab[r]} → ${this.vocab[c]}: count ${this.counts[r][c]}, P = ${this.prob(r, c).toFixed(4)} (k = ${fmtNum(this.k)})`;
    this.tip.style.left = `${e.clientX - rect.left + 12}px`;
    this.tip.style.top = `${e.clientY - rect.top + 12}px`;
  }
}
