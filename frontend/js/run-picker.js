// A row of run selects (the compare mode takes up to 4 runs, the explorer 3): plain <select>s, so a phone and the
// keyboard work them as they work any form. The first names a run; the others may be left at "none".

import { store, runLabel } from './state.js';
import { el, clear } from './util.js';

export class RunPicker {
  /** `onChange(ids)` whenever the user picks: the chosen ids in order, each once. */
  constructor(box, max, onChange) {
    this.box = box;
    this.max = max;
    this.onChange = onChange;
    this.ids = [];
    this.selects = [];
    for (let i = 0; i < max; i++) {
      const s = el('select', { 'aria-label': i === 0 ? 'run 1' : `run ${i + 1} (optional)`, dataset: { slot: String(i) } });
      s.addEventListener('change', () => {
        this.ids = this.selects.map((x) => x.value).filter(Boolean).filter((v, k, a) => a.indexOf(v) === k);
        this.onChange(this.ids);
      });
      this.selects.push(s);
    }
    clear(box).append(...this.selects);
  }

  set(ids) {
    this.ids = ids.slice(0, this.max);
    this.refresh();
  }

  /** Rebuilds the options from the run list; an id the list lacks stays, so its error can be shown. */
  refresh() {
    this.selects.forEach((s, i) => {
      const want = this.ids[i] || '';
      clear(s).append(el('option', { value: '' }, i === 0 ? '— pick a run —' : '— none —'));
      const known = store.runs.some((r) => r.id === want);
      if (want && !known) s.append(el('option', { value: want }, `${want} (not in the run list)`));
      for (const r of store.runs) {
        s.append(el('option', { value: r.id }, `${runLabel(r)} · ${r.model} · ${r.status}`));
      }
      s.value = want;
    });
  }
}

/** A run's list entry, or a stand-in naming only its id (not listed yet, or not in this lab). */
export function runEntry(id) {
  return store.runs.find((r) => r.id === id) || { id, model: '?', status: 'unknown' };
}
