// The run list's query (panels/runs.js): the filter a person set, turned into GET /api/runs parameters, and the
// rule for when sweeps stay folded into one row each. Also a request slot that lets only the newest answer through,
// so a slow answer to an older filter never replaces the list of a newer one.

export const STATUSES = ['queued', 'running', 'finished', 'stopped', 'diverged', 'failed', 'interrupted', 'pruned'];

/** The status choices: one status, or a group a person looks for as one. */
export const STATUS_CHOICES = [['', 'any status'], ['queued,running', 'live (queued, running)'],
  ['diverged,failed,interrupted', 'went wrong'], ...STATUSES.map((s) => [s, s])];

export const emptyFilter = () => ({ model: '', dataset: '', status: '', name: '', devBelow: '', sort: 'created', top: '' });

/**
 * Sweeps fold into one row each only while the list is the plain newest-first list: a filter, the best-dev order
 * or a top N searches every run, sweep runs included, because "my best runs" must not hide inside closed rows.
 */
export function grouped(f) {
  return !f.model && !f.dataset && !f.status && !f.name.trim() && f.devBelow === '' && f.sort === 'created' && !f.top;
}

/** A filter in words, for the line under the controls. */
export function describe(f) {
  if (grouped(f)) return 'Newest first; each sweep is one row (open it for its runs).';
  const parts = [];
  if (f.model) parts.push(`model ${f.model}`);
  if (f.dataset) parts.push(`dataset ${f.dataset}`);
  if (f.status) parts.push(`status ${f.status.replaceAll(',', ' or ')}`);
  if (f.name.trim()) parts.push(`name or id contains "${f.name.trim()}"`);
  if (f.devBelow !== '') parts.push(`best dev below ${f.devBelow}`);
  const order = f.top ? `the top ${f.top} by best dev` : f.sort === 'bestDev' ? 'best dev first' : 'newest first';
  return `All runs, sweep runs included: ${parts.length ? parts.join(', ') + '; ' : ''}${order}.`;
}

/** What the ticked runs can go to, said when one more tick than compare takes is made. */
export function selectionNote(k, compareMax, exportMax) {
  if (k <= compareMax) return k ? `${k} ticked${k === 1 ? '' : ' (on any page or sweep)'}` : '';
  return `${k} ticked. Compare takes up to ${compareMax} runs: untick ${k - compareMax} to compare them;`
    + (k > exportMax ? ` export takes up to ${exportMax}.` : ' export and delete take all of them.');
}

/** GET /api/runs parameters for a filter and a page of it; with `sweep`, that opened sweep row's runs. */
export function listParams(f, { offset = 0, limit, sweep } = {}) {
  const p = {};
  if (sweep) {
    p.sweep = sweep;
    p.sort = 'bestDev'; // inside a sweep, the question is which point won
  } else if (grouped(f)) {
    p.inSweep = 'false';
  } else {
    if (f.model) p.model = f.model;
    if (f.dataset) p.dataset = f.dataset;
    if (f.status) p.status = f.status;
    if (f.name.trim()) p.name = f.name.trim();
    if (f.devBelow !== '') p.devBelow = f.devBelow;
    if (f.top || f.sort === 'bestDev') p.sort = 'bestDev';
  }
  p.offset = String(offset);
  p.limit = String(limit);
  return p;
}

/** Stale answers are dropped: each call aborts the one before, and `STALE` is what an overtaken call returns. */
export const STALE = Symbol('stale');

export class Latest {
  constructor() {
    this.seq = 0;
    this.ctrl = null;
  }

  /** Runs `fn(signal)`; its value if no later call (or `drop`) came meanwhile, else STALE. */
  async run(fn) {
    this.drop();
    const mine = this.seq;
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    try {
      const v = await fn(ctrl.signal);
      return mine === this.seq ? v : STALE;
    } catch (e) {
      if (e.name === 'AbortError' || mine !== this.seq) return STALE;
      throw e;
    }
  }

  drop() {
    this.seq++;
    if (this.ctrl) this.ctrl.abort();
    this.ctrl = null;
  }
}
