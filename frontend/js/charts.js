// Loss curves with uPlot: raw train loss (thin, faint), its debiased EMA (thin), dev loss (bold points+line),
// reference lines (uniform model, count bigram) and learning-rate changes as dashed verticals.
/* global uPlot */

function size(el, h) {
  return { width: Math.max(300, el.clientWidth || 600), height: h };
}

// Debiased exponential moving average (as Adam does): early points are not dragged towards zero.
export function ema(values, beta) {
  const out = new Array(values.length);
  let m = 0, n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !Number.isFinite(v)) { out[i] = null; continue; }
    n++;
    m = beta * m + (1 - beta) * v;
    out[i] = beta === 0 ? v : m / (1 - beta ** n);
  }
  return out;
}

function drawLines(u, refs, marks) {
  const ctx = u.ctx;
  ctx.save();
  ctx.lineWidth = 1 * devicePixelRatio;
  for (const r of refs) {
    if (r.value == null || !Number.isFinite(r.value)) continue;
    const y = u.valToPos(r.value, 'y', true);
    if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
    ctx.strokeStyle = r.color;
    ctx.setLineDash([6, 4]);
    ctx.beginPath(); ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = r.color;
    ctx.font = `${11 * devicePixelRatio}px system-ui`;
    ctx.fillText(r.label, u.bbox.left + 6 * devicePixelRatio, y - 4 * devicePixelRatio);
  }
  for (const m of marks) {
    const x = u.valToPos(m.step, 'x', true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.strokeStyle = '#7048e8';
    ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#7048e8';
    ctx.font = `${11 * devicePixelRatio}px system-ui`;
    ctx.fillText('lr ' + m.lr, x + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
  }
  ctx.restore();
}

export class LossChart {
  constructor(el) {
    this.el = el;
    this.beta = 0.9;
    this.logY = false;
    this.refs = [];
    this.marks = [];
    this.reset();
    this.build();
    new ResizeObserver(() => this.plot && this.plot.setSize(size(this.el, 300))).observe(el);
  }

  reset() {
    this.progress = []; // [step, loss]
    this.dev = []; // [step, loss]
    this.trainEval = [];
    this.marks = [];
  }

  build() {
    if (this.plot) this.plot.destroy();
    const self = this;
    this.plot = new uPlot({
      ...size(this.el, 300),
      scales: { x: { time: false }, y: { distr: this.logY ? 3 : 1 } },
      axes: [{ label: 'step' }, { label: 'loss (nats/char)', size: 60 }],
      series: [
        { label: 'step' },
        { label: 'train (raw)', stroke: 'rgba(138,164,214,0.45)', width: 1, spanGaps: true },
        { label: 'train (EMA)', stroke: '#4c6ef5', width: 1.25, spanGaps: true },
        { label: 'train (full split)', stroke: '#4c6ef5', width: 0, points: { show: true, size: 5, fill: '#4c6ef5' }, spanGaps: true },
        { label: 'dev', stroke: '#d9480f', width: 2.5, points: { show: true, size: 6 }, spanGaps: true },
      ],
      hooks: { draw: [u => drawLines(u, self.refs, self.marks)] },
      legend: { live: true },
    }, [[], [], [], [], []], this.el);
  }

  setLogY(on) { this.logY = on; this.build(); this.render(); }
  setBeta(b) { this.beta = b; this.render(); }
  setRefs(refs) { this.refs = refs; this.plot.redraw(false); }

  load(run) {
    this.reset();
    for (const p of run.progress || []) this.progress.push([p.step, Number(p.trainLoss)]);
    for (const e of run.evals || []) this.addEval(e, false);
    this.marks = (run.lrChanges || []).map(c => ({ step: c.step, lr: c.lr }));
    this.render();
  }

  addPoints(points) {
    for (const p of points) this.progress.push([p.step, Number(p.trainLoss)]);
    this.schedule();
  }

  addEval(e, render = true) {
    (e.split === 'dev' ? this.dev : this.trainEval).push([e.step, Number(e.loss)]);
    if (render) this.schedule();
  }

  addMark(step, lr) { this.marks.push({ step, lr }); this.schedule(); }

  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = null; this.render(); });
  }

  render() {
    const steps = new Set();
    for (const [s] of this.progress) steps.add(s);
    for (const [s] of this.dev) steps.add(s);
    for (const [s] of this.trainEval) steps.add(s);
    const xs = [...steps].sort((a, b) => a - b);
    const index = new Map(xs.map((s, i) => [s, i]));
    const raw = new Array(xs.length).fill(null);
    const dev = new Array(xs.length).fill(null);
    const tr = new Array(xs.length).fill(null);
    const finite = v => (Number.isFinite(v) ? v : null);
    for (const [s, v] of this.progress) raw[index.get(s)] = finite(v);
    for (const [s, v] of this.dev) dev[index.get(s)] = finite(v);
    for (const [s, v] of this.trainEval) tr[index.get(s)] = finite(v);
    this.plot.setData([xs, raw, ema(raw, this.beta), tr, dev]);
  }

  lastDev() { return this.dev.length ? this.dev[this.dev.length - 1][1] : null; }
}

// A small x-y plot (dev NLL against k, or several runs' dev curves).
export function linePlot(el, seriesLabels, opts = {}) {
  const colors = ['#d9480f', '#2f6fde', '#2b8a3e', '#7048e8', '#e67700', '#c2255c', '#0b7285', '#5c940d'];
  return new uPlot({
    ...size(el, opts.height || 220),
    scales: { x: { time: false, distr: opts.logX ? 3 : 1 } },
    axes: [{ label: opts.xLabel || '' }, { label: opts.yLabel || '', size: 60 }],
    series: [{ label: opts.xLabel || 'x' }, ...seriesLabels.map((l, i) => ({
      label: l, stroke: colors[i % colors.length], width: 2, points: { show: true, size: 5 }, spanGaps: true,
    }))],
  }, [[], ...seriesLabels.map(() => [])], el);
}
