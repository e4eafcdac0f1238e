// Experiments on the page: the row of experiment links under the new-run form, and the start of every
// experiment panel (main.js calls initExperiments once; exp-routes.js registers the views and routes).

import { expLinks } from '../exp-routes.js';
import { $, el, clear } from '../util.js';
import { initSweeps } from './sweeps.js';
import { initSweepView } from './sweep-view.js';
import { initFinder } from './lr-finder.js';
import { initSmoothingL2 } from './smoothing-l2.js';
import { initHealth } from './health.js';

function renderActions() {
  const box = clear($('exp-actions'));
  box.append(el('span', { class: 'muted tiny' }, 'experiments from these controls:'));
  const links = [
    ['exp-sweep', expLinks.sweeps(), 'Sweep…', 'run these controls over one or two fields: a live dev-vs-value plot'],
    ['exp-finder', expLinks.finder(), 'LR finder…', 'one run whose learning rate grows exponentially: loss against log10(lr)'],
    ['exp-smoothing', expLinks.smoothing(), 'Smoothing vs L2', "the count model's k and the neural n-gram's l2 on dev, side by side"],
  ];
  for (const [id, href, text, title] of links) box.append(el('a', { id, href, class: 'btn-link', title }, text));
}

export function initExperiments() {
  renderActions();
  initSweeps();
  initSweepView();
  initFinder();
  initSmoothingL2();
  initHealth();
}
