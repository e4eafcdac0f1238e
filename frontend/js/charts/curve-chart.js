// A small uPlot curve chart for experiment views: y series over one x (linear, or log with distr 3), plus marks
// drawn on top: vertical lines with a label (a suggested rate), horizontal reference lines (k = 0 dev) and
// labelled dots (a curve's minimum). Hover shows every series' value at x.
/* global uPlot */

import { fmtLoss, fmtNum } from '../util.js';

const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const AXIS = { stroke: '#5c6370', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#e3e6ea' }, font: FONT, labelFont: FONT, labelSize: 18 };
/** Powers of ten inside [min, max] (every other one when there are many), for a log axis's grid. */
function decades(min, max) {
  const out = [];
  for (let e = Math.ceil(Math.log10(min) - 1e-9); e <= Math.floor(Math.log10(max) + 1e-9); e++) out.push(10 ** e);
  return out.length > 8 ? out.filter((v, i) => i % 2 === 0) : out;
}
const sizeOf = (node, height) => ({ width: Math.max(220, Math.floor(node.clientWidth)), height });

export class CurveChart {
  /** opts: {xLabel, yLabel, xLog, xValue(v) -> text, height, series: [{label, color, width, dash, points}]} */
  constructor(node, opts) {
    this.node = node;
    this.opts = opts;
    this.marks = { v: [], h: [], dots: [] };
    this.u = null;
    new ResizeObserver(() => this.u && this.u.setSize(sizeOf(this.node, opts.height || 260))).observe(node);
  }

  /** xs: numbers; ys: one array per series (null for gaps); marks: {v: [{x, label, color}], h: [{y, label, color}], dots: [{x, y, label, color}]} */
  set(xs, ys, marks = {}) {
    this.marks = { v: marks.v || [], h: marks.h || [], dots: marks.dots || [] };
    const data = [xs, ...ys];
    this.node.dataset.points = String(xs.length);
    if (this.u) {
      this.u.setData(data);
      return;
    }
    const o = this.opts;
    this.node.textContent = '';
    this.u = new uPlot({
      ...sizeOf(this.node, o.height || 260),
      scales: { x: { time: false, ...(o.xLog ? { distr: 3 } : {}) }, y: { range: (u, lo, hi) => this.yRange(lo, hi) } },
      series: [
        { label: o.xLabel, value: (u, v) => (v == null ? '—' : (o.xValue || fmtNum)(v)) },
        ...o.series.map((s) => ({ label: s.label, stroke: s.color, width: s.width || 1.5, dash: s.dash, spanGaps: true,
          points: { show: !!s.points, size: 5, fill: s.color }, value: (u, v) => (v == null ? '—' : fmtLoss(v)) })),
      ],
      axes: [{ ...AXIS, label: o.xLabel, ...(o.xLog ? { splits: (u, i, min, max) => decades(min, max), values: (u, vals) => vals.map(fmtNum) } : {}) },
        { ...AXIS, label: o.yLabel || 'NLL', size: 50 }],
      legend: { live: true },
      hooks: { draw: [(u) => this.drawMarks(u)] },
    }, data, this.node);
  }

  /** Keeps horizontal marks in view with the data. */
  yRange(lo, hi) {
    for (const h of this.marks.h) if (Number.isFinite(h.y)) { lo = Math.min(lo, h.y); hi = Math.max(hi, h.y); }
    if (lo == null || hi == null || !Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    const pad = Math.max(1e-3, (hi - lo) * 0.08);
    return [lo - pad, hi + pad];
  }

  drawMarks(u) {
    const ctx = u.ctx;
    const px = devicePixelRatio || 1;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.lineWidth = px;
    for (const m of this.marks.v) {
      const x = u.valToPos(m.x, 'x', true);
      if (!(x >= left && x <= left + width)) continue;
      ctx.strokeStyle = m.color;
      ctx.setLineDash([4 * px, 3 * px]);
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = m.color;
      const tw = ctx.measureText(m.label).width;
      ctx.fillText(m.label, x + 4 * px + tw > left + width ? x - tw - 4 * px : x + 4 * px, top + 12 * px);
    }
    for (const m of this.marks.h) {
      if (!Number.isFinite(m.y)) continue;
      const y = u.valToPos(m.y, 'y', true);
      ctx.strokeStyle = m.color;
      ctx.setLineDash([6 * px, 4 * px]);
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + width, y); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = m.color;
      ctx.fillText(m.label, left + 6 * px, y - 4 * px);
    }
    for (const m of this.marks.dots) {
      if (!Number.isFinite(m.y)) continue;
      const x = u.valToPos(m.x, 'x', true);
      const y = u.valToPos(m.y, 'y', true);
      ctx.fillStyle = m.color;
      ctx.strokeStyle = '#fff';
      ctx.beginPath(); ctx.arc(x, y, 5 * px, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      const tw = ctx.measureText(m.label).width;
      ctx.fillText(m.label, Math.max(left, Math.min(x - tw / 2, left + width - tw)), y - 9 * px);
    }
    ctx.restore();
  }
}
