// The lecture's imshow of bigram counts (canvas): letters on both axes, each cell with its pair and count or
// probability under the current smoothing.

import { fmtNum } from '../util.js';

export function setupCanvas(canvas, cssW, cssH) {
  const px = devicePixelRatio || 1;
  canvas.style.width = cssW + 'px';
  canvas.style.height = cssH + 'px';
  canvas.width = Math.round(cssW * px);
  canvas.height = Math.round(cssH * px);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(px, 0, 0, px, 0, 0);
  return ctx;
}

/** A sweep chart's canvas with its hover tip after it, both added to {@code wrap}. */
export function canvasWithTip(wrap) {
  const canvas = document.createElement('canvas');
  canvas.className = 'sweep-canvas';
  const tip = document.createElement('div');
  tip.className = 'tip';
  tip.hidden = true;
  wrap.append(canvas, tip);
  return { canvas, tip };
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
