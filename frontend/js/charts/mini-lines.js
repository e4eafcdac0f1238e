// A small canvas chart of a few series over shared x labels (character positions, evaluation steps): lines with a
// dot at each value, y from the values' range, a legend when there is more than one series. For panels that need a
// glance, not zoom.

import { setupCanvas } from './heatmap.js';

/** series: [{label, color, values: [number|null]}] over `labels`; missing values break the line. */
export function drawLines(canvas, labels, series, { yTitle = '', height = 180 } = {}) {
  const w = Math.max(240, canvas.parentElement ? canvas.parentElement.clientWidth : 320);
  const ctx = setupCanvas(canvas, w, height);
  canvas.style.width = '100%'; // drawn for the width of the moment; a narrower window scales it rather than overflow
  const all = series.flatMap((s) => s.values).filter((v) => v != null && Number.isFinite(v));
  ctx.clearRect(0, 0, w, height);
  ctx.font = '11px system-ui, sans-serif';
  if (!all.length || !labels.length) return;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const pad = { l: 40, r: 10, t: series.length > 1 ? 10 + 14 * Math.ceil(series.length / 3) : 10, b: 24 };
  const x = (i) => pad.l + (labels.length === 1 ? (w - pad.l - pad.r) / 2 : (i * (w - pad.l - pad.r)) / (labels.length - 1));
  const y = (v) => pad.t + ((hi - v) * (height - pad.t - pad.b)) / (hi - lo);
  ctx.strokeStyle = '#ccc';
  ctx.fillStyle = '#666';
  for (let k = 0; k <= 3; k++) {
    const v = lo + ((hi - lo) * k) / 3;
    ctx.beginPath();
    ctx.moveTo(pad.l, y(v));
    ctx.lineTo(w - pad.r, y(v));
    ctx.stroke();
    ctx.fillText(v.toFixed(2), 2, y(v) + 4);
  }
  const every = Math.max(1, Math.ceil((labels.length * 28) / (w - pad.l - pad.r)));
  labels.forEach((lab, i) => {
    if (i % every === 0 || i === labels.length - 1) ctx.fillText(String(lab), x(i) - 6, height - 8);
  });
  if (yTitle) ctx.fillText(yTitle, pad.l + 4, pad.t + 10);
  series.forEach((s, k) => {
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let on = false;
    s.values.forEach((v, i) => {
      if (v == null || !Number.isFinite(v)) { on = false; return; }
      if (on) ctx.lineTo(x(i), y(v)); else ctx.moveTo(x(i), y(v));
      on = true;
    });
    ctx.stroke();
    s.values.forEach((v, i) => {
      if (v == null || !Number.isFinite(v)) return;
      ctx.beginPath();
      ctx.arc(x(i), y(v), 3, 0, 2 * Math.PI);
      ctx.fill();
    });
    if (series.length > 1) {
      const lx = pad.l + (k % 3) * ((w - pad.l) / 3);
      const ly = 12 + 14 * Math.floor(k / 3);
      ctx.fillRect(lx, ly - 8, 10, 3);
      ctx.fillText(s.label, lx + 14, ly - 3);
    }
  });
}
