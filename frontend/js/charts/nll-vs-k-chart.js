// Dev and train NLL of the count n-gram against smoothing k (uPlot, log k), with the current k marked and, when
// the server scores it, interpolated Kneser-Ney's dev as a horizontal line (it does not depend on k).
/* global uPlot */

import { fmtLoss, fmtNum } from '../util.js';

const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const COLORS = { train: '#4e79a7', dev: '#e8590c', mark: '#9c36b5', kn: '#0c8a5f' };
const lossValue = (u, v) => (v == null ? '—' : fmtLoss(v));
const sizeOf = (node, height) => ({ width: Math.max(200, Math.floor(node.clientWidth)), height });

export class NllVsKChart {
  constructor(node) {
    this.node = node;
    this.points = new Map(); // k -> {train, dev, explored}
    this.current = null;
    this.reference = null; // {y, label}: Kneser-Ney's dev
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

  /** A horizontal reference line (Kneser-Ney's dev), or null for none. */
  setReference(ref) {
    const y = ref && Number.isFinite(ref.y) ? ref : null;
    this.node.dataset.reference = y ? String(y.y) : '';
    if (JSON.stringify(y) === JSON.stringify(this.reference)) return;
    this.reference = y;
    if (this.u) this.u.redraw(true);
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
        scales: { x: { time: false, distr: 3 }, y: { range: (u, lo, hi) => this.yRange(lo, hi) } },
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
          draw: [(u) => this.drawReference(u), (u) => {
            if (this.current == null || !(this.current > 0)) return;
            const x = u.valToPos(this.current, 'x', true);
            const { top, height, left, width } = u.bbox;
            if (x < left || x > left + width) return;
            const ctx = u.ctx;
            ctx.save();
            ctx.textAlign = 'left';
            ctx.textBaseline = 'alphabetic';
            ctx.strokeStyle = COLORS.mark;
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

  yRange(lo, hi) {
    if (this.reference) {
      lo = Math.min(lo ?? this.reference.y, this.reference.y);
      hi = Math.max(hi ?? this.reference.y, this.reference.y);
    }
    if (lo == null || hi == null || !Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    const pad = Math.max(1e-3, (hi - lo) * 0.06);
    return [lo - pad, hi + pad];
  }

  drawReference(u) {
    if (!this.reference) return;
    const px = devicePixelRatio || 1;
    const y = u.valToPos(this.reference.y, 'y', true);
    const { left, width } = u.bbox;
    const ctx = u.ctx;
    ctx.save();
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.strokeStyle = COLORS.kn;
    ctx.lineWidth = 1.5 * px;
    ctx.setLineDash([6 * px, 4 * px]);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.fillStyle = COLORS.kn;
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.fillText(this.reference.label, left + 6 * px, y - 4 * px);
    ctx.restore();
  }
}
