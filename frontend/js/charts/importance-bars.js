// Which swept field mattered, as the server estimates it (GET /api/sweeps/{id} importance): a bar per field for its
// share of the dev variance, the values where dev was lowest, and what no single field explains. The method is
// said in words under the bars, so a share is never read as more than it is.

import { el, clear, fmtNum, fmtLoss } from '../util.js';

const pct = (x) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;

/** "lr = 0.1" for a single value, "lr 0.03 to 0.3" for a bin of scattered values. */
function where(field, bin) {
  return bin.lo === bin.hi ? `${field} = ${fmtNum(bin.lo)}` : `${field} ${fmtNum(bin.lo)} to ${fmtNum(bin.hi)}`;
}

function bar(label, share, extra, key) {
  const row = el('div', { class: 'imp-row', dataset: { field: key, share: share.toFixed(4) } });
  const track = el('div', { class: 'imp-track' });
  const fill = el('div', { class: key ? 'imp-fill' : 'imp-fill rest' });
  fill.style.width = `${Math.max(0.5, 100 * share).toFixed(1)}%`;
  track.append(fill);
  row.append(el('span', { class: 'mono imp-name' }, label), track, el('span', { class: 'num imp-pct' }, pct(share)),
    el('span', { class: 'muted imp-best' }, extra));
  return row;
}

/** Fills `box` from the sweep's importance; null (an older server) or omitted says why there is nothing. */
export function renderImportance(box, importance) {
  clear(box);
  if (!importance) {
    box.append(el('div', { class: 'muted' }, 'no estimate from this server'));
    return;
  }
  if (importance.omitted) {
    box.append(el('div', { class: 'muted', id: 'sw-imp-omitted' }, `No estimate yet: ${importance.omitted}.`));
    return;
  }
  for (const f of importance.fields) {
    const worst = f.bins.reduce((a, b) => (b.devMean > a.devMean ? b : a));
    const extra = `lowest dev at ${where(f.field, f.best)} (${fmtLoss(f.best.devMean)}; worst ${where(f.field, worst)}, ${fmtLoss(worst.devMean)})`;
    box.append(bar(f.field, f.share, extra, f.field));
  }
  box.append(bar('interactions and noise', importance.rest, 'what no single field explains', null));
  box.append(el('div', { class: 'muted tiny imp-method' },
    `Over ${importance.points} finished points. Method: ${importance.method}. Dev per value is its mean with the other fields' main effects taken out.`));
}
