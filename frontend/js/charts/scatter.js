// The character embedding (canvas): each character a labelled disc at its 2-D (PCA) position. Discs that would
// cover each other are nudged apart (a short line ties a moved disc to its true place); hovering shows the
// character and its nearest neighbours in the embedding. Points glide to their new places at each evaluation.

import { setupCanvas } from './heatmap.js';

const R = 9;
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

/** Moves overlapping discs apart (a few relaxation rounds); returns [{x, y}] in the same order. */
export function nudge(points, minDist, w, h) {
  const out = points.map((p) => ({ x: p.x, y: p.y }));
  for (let round = 0; round < 60; round++) {
    let moved = false;
    for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        let dx = out[j].x - out[i].x;
        let dy = out[j].y - out[i].y;
        let d = Math.hypot(dx, dy);
        if (d >= minDist) continue;
        if (d < 1e-6) {
          dx = Math.cos(i + j);
          dy = Math.sin(i + j);
          d = 1;
        }
        const push = (minDist - d) / 2 + 0.1;
        out[i].x -= (dx / d) * push;
        out[i].y -= (dy / d) * push;
        out[j].x += (dx / d) * push;
        out[j].y += (dy / d) * push;
        moved = true;
      }
    }
    for (const p of out) {
      p.x = Math.min(w - R, Math.max(R, p.x));
      p.y = Math.min(h - R, Math.max(R, p.y));
    }
    if (!moved) break;
  }
  return out;
}

/** The k characters nearest to points[i] in the embedding's own coordinates. */
export function neighbours(points, i, k = 3) {
  const p = points[i];
  return points.map((q, j) => ({ ch: q.ch, d: Math.hypot(q.x - p.x, q.y - p.y), j }))
    .filter((q) => q.j !== i).sort((a, b) => a.d - b.d).slice(0, k);
}

export class Scatter {
  constructor(canvas, tip) {
    this.canvas = canvas;
    this.tip = tip;
    this.points = [];
    this.from = new Map();
    this.t0 = 0;
    this.empty = '';
    this.drawn = [];
    canvas.addEventListener('mousemove', (e) => this.hover(e));
    canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    new ResizeObserver(() => this.render(1)).observe(canvas.parentElement);
  }

  set(points) {
    this.from = new Map(this.points.map((p) => [p.ch, { x: Number(p.x), y: Number(p.y) }]));
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

  render(t) {
    const wrap = this.canvas.parentElement;
    const cs = getComputedStyle(wrap);
    const w = Math.max(200, Math.floor(wrap.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)));
    const h = Math.min(300, Math.max(220, Math.round(w * 0.75)));
    const ctx = setupCanvas(this.canvas, w, h);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    const pts = this.points;
    ctx.font = '11px system-ui, sans-serif';
    if (!pts.length) {
      this.drawn = [];
      ctx.fillStyle = '#8a94a6';
      ctx.textAlign = 'center';
      ctx.fillText(this.empty, w / 2, h / 2);
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
    const s = Math.min((w - 2 * pad) / Math.max(1e-9, x1 - x0), (h - 2 * pad) / Math.max(1e-9, y1 - y0));
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const screen = pos.map((p) => ({ x: w / 2 + (p.x - cx) * s, y: h / 2 - (p.y - cy) * s }));
    const at = nudge(screen, 2 * R + 1, w, h);
    ctx.strokeStyle = '#eef0f3';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, h / 2 + cy * s); ctx.lineTo(w, h / 2 + cy * s); ctx.moveTo(w / 2 - cx * s, 0); ctx.lineTo(w / 2 - cx * s, h);
    ctx.stroke();
    ctx.strokeStyle = '#ced4da';
    for (let i = 0; i < pos.length; i++) {
      if (Math.hypot(at[i].x - screen[i].x, at[i].y - screen[i].y) > 2) {
        ctx.beginPath();
        ctx.moveTo(screen[i].x, screen[i].y);
        ctx.lineTo(at[i].x, at[i].y);
        ctx.stroke();
      }
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = '600 11px ui-monospace, "SF Mono", Menlo, Consolas, monospace';
    this.drawn = [];
    for (let i = 0; i < pos.length; i++) {
      const { x: X, y: Y } = at[i];
      const ch = pos[i].ch;
      const boundary = ch === '.';
      ctx.beginPath();
      ctx.arc(X, Y, R, 0, 2 * Math.PI);
      ctx.fillStyle = boundary ? '#e8590c' : VOWELS.has(ch) ? '#dbe7fb' : '#f1f3f5';
      ctx.fill();
      ctx.strokeStyle = boundary ? '#c2410c' : VOWELS.has(ch) ? '#2f6fde' : '#adb5bd';
      ctx.stroke();
      ctx.fillStyle = boundary ? '#fff' : '#1f2328';
      ctx.fillText(ch, X, Y + 0.5);
      this.drawn.push({ ch, X, Y, i });
    }
    ctx.textBaseline = 'alphabetic';
    this.canvas.dataset.overlaps = String(countOverlaps(at, 2 * R));
    this.canvas.dataset.first = `${Math.round(at[0].x)},${Math.round(at[0].y)}`; // where to point at one character
  }

  hover(e) {
    const rect = this.canvas.getBoundingClientRect();
    const mx = e.clientX - rect.left;
    const my = e.clientY - rect.top;
    const hit = this.drawn.find((d) => Math.hypot(d.X - mx, d.Y - my) <= R + 1);
    if (!hit) {
      this.tip.hidden = true;
      return;
    }
    const near = neighbours(this.points.map((p) => ({ ch: p.ch, x: Number(p.x), y: Number(p.y) })), hit.i);
    this.tip.textContent = `'${hit.ch}'  nearest: ${near.map((n) => `'${n.ch}' ${n.d.toFixed(2)}`).join(', ')}`;
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(mx + 12, rect.width - 200)}px`;
    this.tip.style.top = `${my + 12}px`;
  }
}

function countOverlaps(at, d) {
  let n = 0;
  for (let i = 0; i < at.length; i++) {
    for (let j = i + 1; j < at.length; j++) if (Math.hypot(at[i].x - at[j].x, at[i].y - at[j].y) < d - 0.5) n++;
  }
  return n;
}
