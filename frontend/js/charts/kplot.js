// Dev and train NLL of the count n-gram against smoothing k (uPlot, log k), with the current k marked.
/* global uPlot */

import { fmtLoss, fmtNum } from '../util.js';

const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const COLORS = { train: '#4e79a7', dev: '#e8590c', mark: '#9c36b5' };
const lossValue = (u, v) => (v == null ? '—' : fmtLoss(v));
const sizeOf = (node, height) => ({ width: Math.max(200, Math.floor(node.clientWidth)), height });

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
}
