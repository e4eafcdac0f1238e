// Drawing the run's other views. Everything that comes from a dataset or a model is set as text, never markup.

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function renderSamples(list, names, noveltyEl) {
  list.replaceChildren();
  let fresh = 0;
  for (const s of names) {
    const li = el('li', null, s.text === '' ? '(empty)' : s.text);
    li.append(s.seen ? el('span', 'tag seen', 'in ' + s.seen) : el('span', 'tag new', 'new'));
    if (!s.seen) fresh++;
    list.append(li);
  }
  if (noveltyEl) noveltyEl.textContent = names.length ? `${Math.round((100 * fresh) / names.length)}% new` : '';
}

export function drawEmbedding(canvas, points) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 24;
  ctx.clearRect(0, 0, w, h);
  if (!points || !points.length) {
    ctx.fillStyle = '#6b7385';
    ctx.font = '13px system-ui';
    ctx.fillText('The MLP learns a vector per character; it appears here.', 16, h / 2);
    return;
  }
  const xs = points.map(p => Number(p.x)), ys = points.map(p => Number(p.y));
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const sx = v => pad + ((v - x0) / (x1 - x0 || 1)) * (w - 2 * pad);
  const sy = v => h - pad - ((v - y0) / (y1 - y0 || 1)) * (h - 2 * pad);
  ctx.strokeStyle = '#e2e5eb';
  ctx.strokeRect(pad / 2, pad / 2, w - pad, h - pad);
  for (const p of points) {
    const x = sx(Number(p.x)), y = sy(Number(p.y));
    const vowel = 'aeiou'.includes(p.ch), boundary = p.ch === '.';
    ctx.fillStyle = boundary ? '#c92a2a' : vowel ? '#2b8a3e' : '#2f6fde';
    ctx.beginPath(); ctx.arc(x, y, 11, 0, 2 * Math.PI); ctx.fill();
    ctx.fillStyle = '#fff';
    ctx.font = 'bold 12px ui-monospace, Menlo, monospace';
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.fillText(p.ch, x, y + 0.5);
  }
  ctx.textAlign = 'start'; ctx.textBaseline = 'alphabetic';
}

// The lecture's picture: N[first][second] with the pair and its count in each cell.
export function drawHeatmap(canvas, vocab, counts, smoothing) {
  const ctx = canvas.getContext('2d');
  const n = vocab.length, w = canvas.width, cell = Math.floor((w - 20) / n), off = 20;
  ctx.clearRect(0, 0, w, canvas.height);
  let max = 1;
  for (const row of counts) for (const v of row) max = Math.max(max, v);
  ctx.font = '11px ui-monospace, Menlo, monospace';
  ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
  for (let i = 0; i < n; i++) {
    ctx.fillStyle = '#6b7385';
    ctx.fillText(vocab[i], off + i * cell + cell / 2, 10);
    ctx.fillText(vocab[i], 10, off + i * cell + cell / 2);
    for (let j = 0; j < n; j++) {
      const v = counts[i][j] + smoothing;
      const t = Math.sqrt(v / (max + smoothing));
      ctx.fillStyle = `rgba(47,111,222,${0.04 + 0.96 * t})`;
      ctx.fillRect(off + j * cell, off + i * cell, cell - 1, cell - 1);
      if (cell >= 18) {
        ctx.fillStyle = t > 0.55 ? '#fff' : '#1d2330';
        ctx.font = '8px ui-monospace, Menlo, monospace';
        ctx.fillText(vocab[i] + vocab[j], off + j * cell + cell / 2, off + i * cell + cell / 2 - 4);
        ctx.fillText(String(counts[i][j]), off + j * cell + cell / 2, off + i * cell + cell / 2 + 5);
      }
    }
  }
  ctx.textAlign = 'start'; ctx.textBaseline = 'alphabetic';
}

export function renderProbe(root, result) {
  root.replaceChildren();
  for (const c of result.chars) {
    const p = Number(c.p);
    const box = el('div', 'ch');
    const bar = el('div', 'bar');
    const fill = el('div');
    fill.style.height = Math.max(2, Math.round(100 * p)) + '%';
    bar.append(fill);
    box.append(bar, el('span', null, c.ch), el('span', 'hint', (100 * p).toFixed(p < 0.1 ? 1 : 0) + '%'));
    root.append(box);
  }
  root.append(el('div', 'nll', `NLL ${Number(result.nll).toFixed(3)} nats/char over ${result.chars.length} predictions`));
}
