// The routes of the experiment views (sweeps, one sweep, LR finder, smoothing vs L2) and their links. Imported
// before the router starts, so the routes are known when the first URL is read.

import { addRoute, addView } from './state.js';

const EXP_VIEWS = { sweeps: 'sweeps-view', sweep: 'sweep-view', finder: 'finder-view', smoothing: 'smoothing-view' };
for (const [name, id] of Object.entries(EXP_VIEWS)) addView(name, id);

addRoute('sweep', /^\/sweeps\/([A-Za-z0-9_-]+)$/, (m) => ({ id: m[1] }));
addRoute('sweeps', /^\/sweeps(?:\?(.*))?$/, (m) => ({ def: new URLSearchParams(m[1] || '').get('def') }));
addRoute('finder', /^\/finder(?:\/([A-Za-z0-9_-]+))?$/, (m) => ({ id: m[1] || null }));
addRoute('smoothing', /^\/smoothing-l2(?:\?(.*))?$/, (m) => {
  const q = new URLSearchParams(m[1] || '');
  return { context: q.get('context'), dataset: q.get('dataset') };
});

export const expLinks = {
  sweeps: () => '#/sweeps',
  sweep: (id) => `#/sweeps/${encodeURIComponent(id)}`,
  /** A sweep's re-run link: its whole definition (base config, params, seeds, pruning). */
  rerunSweep: (definition) => `#/sweeps?${new URLSearchParams({ def: JSON.stringify(definition) })}`,
  finder: (id) => (id ? `#/finder/${encodeURIComponent(id)}` : '#/finder'),
  smoothing: () => '#/smoothing-l2',
};
