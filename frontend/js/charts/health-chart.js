// Layer-health drawings: one statistic per layer over steps (uPlot; the update:data ratio with lecture 3's 1e-3
// guide line at -3), and the histograms at the latest evaluation as one line per layer (canvas), as the lecture
// plots them. Layers the user hid (panels/health.js) are hidden series here and left out of the histograms.
/* global uPlot */

import { colorAt } from './loss-chart.js';
import { setupCanvas } from './heatmap.js';
import { fmtNum } from '../util.js';

const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const AXIS = { stroke: '#5c6370', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#e3e6ea' }, font: FONT, labelFont: FONT, labelSize: 18 };
const sizeOf = (node) => ({ width: Math.max(220, Math.floor(node.clientWidth)), height: 220 });
const fmt = (v) => (v == null ? '—' : Math.abs(v) >= 100 || v === 0 ? v.toFixed(1) : v.toPrecision(3));

export class HealthChart {
  /** onToggle(label, show): a series was shown or hidden from uPlot's own legend, so the panel can follow. */
  constructor(node, onToggle) {
    this.node = node;
    this.onToggle = onToggle;
    this.key = '';
    this.guide = null;
    this.hidden = new Set();
    this.syncing = false;
    this.u = null;
    new ResizeObserver(() => this.u && this.u.setSize(sizeOf(this.node))).observe(node);
  }

  /** steps: numbers; series: [{label, values}]; guide: a y for a dashed guide line (or null); yLabel. */
  set(steps, series, guide, yLabel) {
    this.guide = guide;
    const key = `${yLabel}|${series.map((s) => s.label).join('|')}`;
    const data = [steps, ...series.map((s) => s.values)];
    this.node.dataset.series = String(series.length);
    this.node.dataset.points = String(steps.length);
    if (this.u && key === this.key) {
      this.u.setData(data);
      this.markShown();
      return;
    }
    if (this.u) this.u.destroy();
    this.key = key;
    this.node.textContent = '';
    this.u = new uPlot({
      ...sizeOf(this.node),
      scales: { x: { time: false }, y: { range: (u, lo, hi) => this.range(lo, hi) } },
      series: [{ label: 'step', value: (u, v) => (v == null ? '—' : String(v)) },
        ...series.map((s, i) => ({ label: s.label, show: !this.hidden.has(s.label), stroke: colorAt(i, series.length), width: 1.8, spanGaps: true,
          points: { show: true, size: 5, fill: colorAt(i, series.length) }, value: (u, v) => fmt(v) }))],
      axes: [{ ...AXIS, label: 'step' }, { ...AXIS, label: yLabel, size: 54 }],
      legend: { live: true },
      hooks: { draw: [(u) => this.drawGuide(u)], setSeries: [(u, i, opts) => this.toggled(u, i, opts)] },
    }, data, this.node);
    this.markShown();
  }

  /** Hides the series whose label is in `hidden` (a Set of names) and shows the others. */
  setHidden(hidden) {
    this.hidden = new Set(hidden);
    if (!this.u) return;
    this.syncing = true;
    this.u.series.forEach((s, i) => {
      if (i > 0 && s.show === this.hidden.has(s.label)) this.u.setSeries(i, { show: !s.show });
    });
    this.syncing = false;
    this.markShown();
  }

  markShown() {
    this.node.dataset.shown = String(this.u ? this.u.series.slice(1).filter((s) => s.show).length : 0);
  }

  toggled(u, i, opts) {
    // the hook also fires for cursor focus (no `show`) and for our own setHidden
    if (this.syncing || i == null || i < 1 || !opts || opts.show == null) return;
    this.markShown();
    if (this.onToggle) this.onToggle(u.series[i].label, opts.show);
  }

  range(lo, hi) {
    if (this.guide != null) { lo = Math.min(lo ?? this.guide, this.guide); hi = Math.max(hi ?? this.guide, this.guide); }
    if (lo == null || hi == null || !Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    const pad = Math.max(1e-6, (hi - lo) * 0.1);
    return [lo - pad, hi + pad];
  }

  drawGuide(u) {
    if (this.guide == null) return;
    const px = devicePixelRatio || 1;
    const y = u.valToPos(this.guide, 'y', true);
    const { left, width } = u.bbox;
    const ctx = u.ctx;
    ctx.save();
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.strokeStyle = '#c92a2a';
    ctx.lineWidth = px;
    ctx.setLineDash([6 * px, 4 * px]);
    ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + width, y); ctx.stroke();
    ctx.fillStyle = '#c92a2a';
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.fillText('1e-3 guide (-3)', left + 6 * px, y - 4 * px);
    ctx.restore();
  }
}

/**
 * Draws histograms [{layer, lo, hi, counts}] as density lines, one colour per layer (the colour of its name in
 * `order`, so a layer keeps its colour when others are left out), x from the smallest lo to the largest hi of the
 * histograms given. data-layers: how many are drawn; data-range: the x-axis end labels, "lo,hi".
 */
export function drawHistograms(canvas, hists, order, title) {
  const wrap = canvas.parentElement;
  const w = Math.max(200, Math.floor(wrap.clientWidth));
  const h = 170;
  const ctx = setupCanvas(canvas, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const pad = { l: 8, r: 8, t: 18, b: 20 };
  canvas.dataset.layers = String(hists.length);
  canvas.dataset.range = '';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#3a3f47';
  ctx.fillText(title, pad.l, 12);
  if (!hists.length) return;
  const lo = Math.min(...hists.map((x) => x.lo));
  const hi = Math.max(...hists.map((x) => x.hi));
  canvas.dataset.range = `${fmtNum(lo)},${fmtNum(hi)}`;
  const dens = hists.map((x) => {
    const total = x.counts.reduce((a, b) => a + b, 0) || 1;
    const bw = (x.hi - x.lo) / x.counts.length || 1;
    return x.counts.map((c, i) => ({ x: x.lo + (i + 0.5) * bw, y: c / total / bw }));
  });
  const ymax = Math.max(1e-12, ...dens.flat().map((p) => p.y));
  const X = (v) => pad.l + ((v - lo) / (hi - lo || 1)) * (w - pad.l - pad.r);
  const Y = (v) => h - pad.b - (v / ymax) * (h - pad.t - pad.b);
  ctx.strokeStyle = '#e3e6ea';
  ctx.beginPath(); ctx.moveTo(pad.l, h - pad.b); ctx.lineTo(w - pad.r, h - pad.b); ctx.stroke();
  if (lo < 0 && hi > 0) { ctx.beginPath(); ctx.moveTo(X(0), pad.t); ctx.lineTo(X(0), h - pad.b); ctx.stroke(); }
  ctx.fillStyle = '#5c6370';
  ctx.textAlign = 'left';
  ctx.fillText(fmtNum(lo), pad.l, h - 6);
  ctx.textAlign = 'right';
  ctx.fillText(fmtNum(hi), w - pad.r, h - 6);
  ctx.textAlign = 'center';
  if (lo < 0 && hi > 0) ctx.fillText('0', X(0), h - 6);
  hists.forEach((x, k) => {
    ctx.strokeStyle = colorAt(Math.max(0, order.indexOf(x.layer)), order.length);
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    dens[k].forEach((p, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, X(p.x), Y(p.y)));
    ctx.stroke();
  });
}
