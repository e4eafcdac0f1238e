// A sweep over one field (canvas): final train and dev NLL against the swept value (log x for log ranges), the
// train-dev gap shaded between the two mean lines, error bars (mean ± std over seeds) where seeds repeat, running
// points hollow at their latest dev, the best group ringed and labelled. Hover names a point's numbers; a click
// opens its run.

import { canvasWithTip, setupCanvas } from './heatmap.js';
import { logTicks } from './loss-chart.js';
import { fmtLoss, fmtNum } from '../util.js';

const C = { train: '#4e79a7', dev: '#e8590c', gap: 'rgba(232, 89, 12, 0.10)', best: '#0c8a5f', axis: '#5c6370', grid: '#eef0f3', dead: '#adb5bd' };
const PAD = { l: 52, r: 16, t: 26, b: 38 };
const fin = (v) => v != null && Number.isFinite(v);

/** Whether values of a sweep are best read on a log axis: log ranges, and wide positive lists. */
export function useLogX(scale, values) {
  if (scale === 'log') return true;
  if (scale !== 'list' || !values.length || values.some((v) => !(v > 0))) return false;
  return Math.max(...values) / Math.min(...values) >= 50;
}

function linTicks(min, max, n = 6) {
  if (!(max > min)) return [min];
  const raw = (max - min) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(10)));
  return out;
}

function pointText(field, p) {
  const gap = fin(p.dev) && fin(p.train) ? ` · gap ${(p.dev - p.train).toFixed(4)}` : '';
  const params = Object.entries(p.params || {}).map(([k, v]) => `${k} = ${fmtNum(v)}`).join(', ');
  return `${params}\n${p.status}${p.step ? ` at step ${p.step}` : ''}`
    + `\ntrain ${fmtLoss(p.train)} · dev ${fmtLoss(p.dev)}${gap}${p.run ? `\nrun ${p.runLabel || p.run} (click to open)` : ''}`;
}

export class SweepPlot {
  constructor(wrap, { onOpen } = {}) {
    this.wrap = wrap;
    ({ canvas: this.canvas, tip: this.tip } = canvasWithTip(wrap));
    this.onOpen = onOpen;
    this.data = null;
    this.hits = [];
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    this.canvas.addEventListener('click', (e) => {
      const h = this.hitAt(e);
      if (h && h.point.run && this.onOpen) this.onOpen(h.point.run);
    });
    new ResizeObserver(() => this.data && this.draw()).observe(wrap);
  }

  /** data: {field, scale, points, groups, best} as the sweep view holds them. */
  set(data) {
    this.data = data;
    this.draw();
  }

  draw() {
    const { field, scale, points, groups, best } = this.data;
    const w = Math.max(260, Math.floor(this.wrap.clientWidth));
    const h = Math.min(360, Math.max(240, Math.round(w * 0.45)));
    const ctx = setupCanvas(this.canvas, w, h);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    const xs = [...new Set(groups.map((g) => g.params[field]))].sort((a, b) => a - b);
    const logX = useLogX(scale, xs);
    const ys = [];
    for (const p of points) for (const v of [p.train, p.dev]) if (fin(v)) ys.push(v);
    for (const g of groups) if (fin(g.devMean) && fin(g.devStd)) ys.push(g.devMean - g.devStd, g.devMean + g.devStd);
    this.hits = [];
    this.canvas.dataset.finished = String(points.filter((p) => p.status === 'finished').length);
    this.canvas.dataset.running = String(points.filter((p) => p.status === 'running').length);
    this.canvas.dataset.best = best ? String(best.index) : '';
    this.canvas.dataset.bestXy = '';
    this.canvas.dataset.logx = String(logX);
    if (!xs.length || !ys.length) {
      ctx.fillStyle = C.axis;
      ctx.font = '12px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText('waiting for the first point to be evaluated…', w / 2, h / 2);
      this.canvas.dataset.drawnAt = String(performance.now());
      return;
    }
    const tx = (v) => (logX ? Math.log10(v) : v);
    let [x0, x1] = [tx(xs[0]), tx(xs[xs.length - 1])];
    if (x1 === x0) { x0 -= logX ? 0.5 : Math.abs(x0) * 0.5 || 1; x1 += logX ? 0.5 : Math.abs(x1) * 0.5 || 1; }
    const xpad = (x1 - x0) * 0.06;
    x0 -= xpad; x1 += xpad;
    let y0 = Math.min(...ys);
    let y1 = Math.max(...ys);
    const ypad = Math.max(1e-3, (y1 - y0) * 0.12);
    y0 -= ypad; y1 += ypad;
    const X = (v) => PAD.l + ((tx(v) - x0) / (x1 - x0)) * (w - PAD.l - PAD.r);
    const Y = (v) => h - PAD.b - ((v - y0) / (y1 - y0)) * (h - PAD.t - PAD.b);

    // axes and grid
    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeStyle = C.grid;
    ctx.fillStyle = C.axis;
    ctx.lineWidth = 1;
    const xt = logX ? logTicks(10 ** x0, 10 ** x1) : linTicks(x0, x1);
    ctx.textAlign = 'center';
    let lastRight = -Infinity;
    for (const t of xt) {
      const px = X(t);
      ctx.beginPath(); ctx.moveTo(px, PAD.t); ctx.lineTo(px, h - PAD.b); ctx.stroke();
      const label = fmtNum(t);
      const half = ctx.measureText(label).width / 2;
      if (px - half > lastRight + 4) {
        ctx.fillText(label, px, h - PAD.b + 14);
        lastRight = px + half;
      }
    }
    ctx.textAlign = 'right';
    for (const t of linTicks(y0, y1, 5)) {
      const py = Y(t);
      ctx.beginPath(); ctx.moveTo(PAD.l, py); ctx.lineTo(w - PAD.r, py); ctx.stroke();
      ctx.fillText(t.toFixed(y1 - y0 < 0.05 ? 3 : 2), PAD.l - 6, py + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText(`${field}${logX ? ' (log)' : ''}`, (PAD.l + w - PAD.r) / 2, h - 6);
    ctx.save();
    ctx.translate(12, (PAD.t + h - PAD.b) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('final NLL', 0, 0);
    ctx.restore();

    // mean lines and the gap between them (groups with finished points)
    const done = groups.filter((g) => g.finished > 0 && fin(g.devMean) && fin(g.trainMean))
      .sort((a, b) => a.params[field] - b.params[field]);
    if (done.length) {
      ctx.fillStyle = C.gap;
      ctx.beginPath();
      done.forEach((g, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, X(g.params[field]), Y(g.devMean)));
      for (let i = done.length - 1; i >= 0; i--) ctx.lineTo(X(done[i].params[field]), Y(done[i].trainMean));
      ctx.closePath();
      ctx.fill();
      for (const [key, color, width] of [['trainMean', C.train, 1.5], ['devMean', C.dev, 2]]) {
        ctx.strokeStyle = color;
        ctx.lineWidth = width;
        ctx.beginPath();
        done.forEach((g, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, X(g.params[field]), Y(g[key])));
        ctx.stroke();
      }
    }
    // error bars where seeds repeat
    ctx.strokeStyle = C.dev;
    ctx.lineWidth = 1.5;
    for (const g of done) {
      if (!fin(g.devStd) || g.finished < 2) continue;
      const px = X(g.params[field]);
      const [a, b] = [Y(g.devMean - g.devStd), Y(g.devMean + g.devStd)];
      ctx.beginPath();
      ctx.moveTo(px, a); ctx.lineTo(px, b);
      ctx.moveTo(px - 4, a); ctx.lineTo(px + 4, a);
      ctx.moveTo(px - 4, b); ctx.lineTo(px + 4, b);
      ctx.stroke();
    }
    // every point: train small blue, dev orange; running hollow and dashed; stopped, pruned, failed grey
    for (const p of points) {
      const v = p.params[field];
      if (v == null) continue;
      const px = X(v);
      const live = p.status === 'running' || p.status === 'queued';
      const dead = !live && p.status !== 'finished';
      for (const [key, color, r] of [['train', C.train, 3], ['dev', C.dev, 4.5]]) {
        if (!fin(p[key])) continue;
        const py = Y(p[key]);
        ctx.beginPath();
        ctx.arc(px, py, r, 0, 2 * Math.PI);
        if (live) {
          ctx.setLineDash([2, 2]);
          ctx.strokeStyle = color;
          ctx.lineWidth = 1.5;
          ctx.fillStyle = '#fff';
          ctx.fill();
          ctx.stroke();
          ctx.setLineDash([]);
        } else {
          ctx.fillStyle = dead ? C.dead : color;
          ctx.fill();
        }
        this.hits.push({ x: px, y: py, point: p, key });
      }
    }
    // the best group: ring and label
    if (best) {
      const g = groups.find((x) => x.group === best.group);
      const yv = g && fin(g.devMean) ? g.devMean : best.dev;
      if (fin(yv)) {
        const px = X(best.params[field]);
        const py = Y(yv);
        this.canvas.dataset.bestXy = `${Math.round(px)},${Math.round(py)}`;
        ctx.strokeStyle = C.best;
        ctx.lineWidth = 2.5;
        ctx.beginPath();
        ctx.arc(px, py, 9, 0, 2 * Math.PI);
        ctx.stroke();
        const label = `best ${field} = ${fmtNum(best.params[field])} · dev ${fmtLoss(yv)}`;
        ctx.font = '600 12px system-ui, sans-serif';
        const tw = ctx.measureText(label).width;
        const lx = Math.min(Math.max(px - tw / 2, PAD.l), w - PAD.r - tw);
        const ly = py - 16 < PAD.t ? py + 24 : py - 14;
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(lx - 3, ly - 12, tw + 6, 16);
        ctx.fillStyle = C.best;
        ctx.textAlign = 'left';
        ctx.fillText(label, lx, ly);
      }
    }
    // legend
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'left';
    let lx = PAD.l;
    for (const [text, color] of [['dev', C.dev], ['train', C.train], ['running (latest dev)', null], ['train-dev gap', C.gap]]) {
      if (lx + ctx.measureText(text).width + 12 > w - PAD.r) break; // a narrow plot shows the legend items that fit
      ctx.beginPath();
      ctx.arc(lx + 4, 12, 4, 0, 2 * Math.PI);
      if (color) { ctx.fillStyle = color; ctx.fill(); } else { ctx.setLineDash([2, 2]); ctx.strokeStyle = C.dev; ctx.stroke(); ctx.setLineDash([]); }
      ctx.fillStyle = C.axis;
      ctx.fillText(text, lx + 11, 16);
      lx += ctx.measureText(text).width + 26;
    }
    this.canvas.dataset.drawnAt = String(performance.now());
  }

  hitAt(e) {
    const rect = this.canvas.getBoundingClientRect();
    const mx = e.clientX - rect.left;
    const my = e.clientY - rect.top;
    let best = null;
    let bd = 12;
    for (const h of this.hits) {
      const d = Math.hypot(h.x - mx, h.y - my);
      if (d <= bd) { bd = d; best = h; }
    }
    return best;
  }

  hover(e) {
    const h = this.hitAt(e);
    this.canvas.style.cursor = h && h.point.run ? 'pointer' : 'default';
    if (!h) {
      this.tip.hidden = true;
      return;
    }
    const rect = this.canvas.getBoundingClientRect();
    this.tip.textContent = pointText(this.data.field, h.point);
    this.tip.hidden = false;
    this.tip.style.left = `${Math.max(0, Math.min(h.x + 12, rect.width - 260))}px`;
    this.tip.style.top = `${h.y + 12}px`;
  }
}

export { pointText };
