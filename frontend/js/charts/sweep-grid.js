// A sweep over two fields (canvas): dev NLL (mean over seeds) on the grid, rows the first field, columns the
// second; lower dev is darker; the best cell outlined; running cells dashed with their latest dev; each cell shows
// dev and the train-dev gap. Hover names the numbers; a click opens the cell's best run.

import { canvasWithTip, setupCanvas } from './heatmap.js';
import { fmtLoss, fmtNum } from '../util.js';

const fin = (v) => v != null && Number.isFinite(v);
const RAMP = [[8, 48, 107], [33, 113, 181], [107, 174, 214], [198, 219, 239], [247, 251, 255]];

/** Dark (low dev, good) to light (high dev); t in [0, 1]. */
function shade(t) {
  const x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const c = RAMP[i].map((v, j) => Math.round(v + (RAMP[i + 1][j] - v) * f));
  return { css: `rgb(${c[0]}, ${c[1]}, ${c[2]})`, dark: x < 2.2 };
}

export class SweepGrid {
  constructor(wrap, { onOpen } = {}) {
    this.wrap = wrap;
    ({ canvas: this.canvas, tip: this.tip } = canvasWithTip(wrap));
    this.onOpen = onOpen;
    this.cells = [];
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    this.canvas.addEventListener('click', (e) => {
      const c = this.cellAt(e);
      const run = c && this.runOf(c);
      if (run && this.onOpen) this.onOpen(run);
    });
    new ResizeObserver(() => this.data && this.draw()).observe(wrap);
  }

  set(data) {
    this.data = data;
    this.draw();
  }

  /** The cell's finished run with the lowest dev, else any run it has. */
  runOf(c) {
    const done = c.points.filter((p) => p.status === 'finished' && fin(p.dev)).sort((a, b) => a.dev - b.dev);
    return (done[0] || c.points.find((p) => p.run) || {}).run || null;
  }

  draw() {
    const { fields, values, points, groups, best } = this.data;
    const [fr, fc] = fields;
    const rows = values[0];
    const cols = values[1];
    const w = Math.max(260, Math.floor(this.wrap.clientWidth));
    const left = 64;
    const top = 34;
    const cw = Math.max(34, Math.min(140, Math.floor((w - left - 8) / cols.length)));
    const ch = Math.max(30, Math.min(52, cw * 0.5));
    const h = top + ch * rows.length + 8;
    const ctx = setupCanvas(this.canvas, Math.min(w, left + cw * cols.length + 8), h);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    const cellDev = (g, pts) => (fin(g?.devMean) ? g.devMean
      : Math.min(...pts.filter((p) => fin(p.dev)).map((p) => p.dev), Infinity));
    const all = groups.map((g) => g.devMean).filter(fin);
    const lo = all.length ? Math.min(...all) : 0;
    const hi = all.length ? Math.max(...all) : 1;
    this.cells = [];
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillStyle = '#5c6370';
    ctx.fillText(`${fc} →`, left + (cw * cols.length) / 2, 11);
    cols.forEach((v, j) => ctx.fillText(fmtNum(v), left + j * cw + cw / 2, top - 6));
    ctx.textAlign = 'right';
    rows.forEach((v, i) => ctx.fillText(fmtNum(v), left - 6, top + i * ch + ch / 2 + 4));
    ctx.save();
    ctx.translate(10, top + (ch * rows.length) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(`${fr} →`, 0, 0);
    ctx.restore();
    ctx.textAlign = 'center';
    rows.forEach((rv, i) => cols.forEach((cv, j) => {
      const g = groups.find((x) => x.params[fr] === rv && x.params[fc] === cv);
      const pts = points.filter((p) => p.params[fr] === rv && p.params[fc] === cv);
      const x = left + j * cw;
      const y = top + i * ch;
      const running = pts.some((p) => p.status === 'running' || p.status === 'queued');
      const dev = cellDev(g, pts);
      const cell = { i, j, x, y, g, points: pts, dev, rv, cv };
      this.cells.push(cell);
      if (fin(dev) && g && g.finished > 0) {
        const s = shade(hi > lo ? (dev - lo) / (hi - lo) : 0);
        ctx.fillStyle = s.css;
        ctx.fillRect(x, y, cw - 2, ch - 2);
        ctx.fillStyle = s.dark ? '#fff' : '#1c2024';
      } else {
        ctx.fillStyle = '#f4f5f7';
        ctx.fillRect(x, y, cw - 2, ch - 2);
        ctx.fillStyle = '#69707d';
      }
      if (running) {
        ctx.save();
        ctx.setLineDash([3, 3]);
        ctx.strokeStyle = '#2f6fde';
        ctx.strokeRect(x + 1, y + 1, cw - 4, ch - 4);
        ctx.restore();
      }
      ctx.font = `${running && !(g && g.finished) ? 'italic ' : ''}600 11px ui-monospace, Menlo, Consolas, monospace`;
      ctx.fillText(fin(dev) ? dev.toFixed(3) : pts.some((p) => p.status === 'queued') ? '…' : '—', x + cw / 2, y + ch / 2 - (ch > 36 ? 2 : 0));
      const gap = g && fin(g.devMean) && fin(g.trainMean) ? g.devMean - g.trainMean : null;
      if (gap != null && ch > 36) {
        ctx.font = '10px ui-monospace, Menlo, Consolas, monospace';
        ctx.fillText(`gap ${gap.toFixed(3)}`, x + cw / 2, y + ch / 2 + 12);
      }
    }));
    if (best) {
      const c = this.cells.find((x) => x.rv === best.params[fr] && x.cv === best.params[fc]);
      if (c) {
        ctx.strokeStyle = '#e8590c';
        ctx.lineWidth = 3;
        ctx.strokeRect(c.x + 1, c.y + 1, cw - 4, ch - 4);
      }
    }
    this.geom = { cw, ch };
    this.canvas.dataset.cells = String(this.cells.length);
    this.canvas.dataset.finished = String(points.filter((p) => p.status === 'finished').length);
    this.canvas.dataset.best = best ? String(best.index) : '';
    this.canvas.dataset.drawnAt = String(performance.now());
  }

  cellAt(e) {
    if (!this.geom) return null;
    const rect = this.canvas.getBoundingClientRect();
    const mx = e.clientX - rect.left;
    const my = e.clientY - rect.top;
    return this.cells.find((c) => mx >= c.x && mx < c.x + this.geom.cw && my >= c.y && my < c.y + this.geom.ch) || null;
  }

  hover(e) {
    const c = this.cellAt(e);
    const run = c && this.runOf(c);
    this.canvas.style.cursor = run ? 'pointer' : 'default';
    if (!c) {
      this.tip.hidden = true;
      return;
    }
    const [fr, fc] = this.data.fields;
    const g = c.g || {};
    const lines = [`${fr} = ${fmtNum(c.rv)}, ${fc} = ${fmtNum(c.cv)}`,
      `dev ${fmtLoss(g.devMean ?? c.dev)}${fin(g.devStd) ? ` ± ${g.devStd.toFixed(4)}` : ''} · train ${fmtLoss(g.trainMean)}`,
      `${c.points.length} point${c.points.length === 1 ? '' : 's'}: ${c.points.map((p) => p.status).join(', ')}`];
    if (run) lines.push(`run ${run} (click to open)`);
    this.tip.textContent = lines.join('\n');
    this.tip.hidden = false;
    const rect = this.canvas.getBoundingClientRect();
    this.tip.style.left = `${Math.max(0, Math.min(c.x + 16, rect.width - 260))}px`;
    this.tip.style.top = `${c.y + this.geom.ch}px`;
  }
}
