// The row of experiment links under the new-run form: each view starts from the form's config.

import { links } from '../state.js';
import { $, el, clear } from '../util.js';

function renderActions() {
  const box = clear($('exp-actions'));
  box.append(el('span', { class: 'muted tiny' }, 'experiments from these controls:'));
  const items = [
    ['exp-sweep', links.sweeps(), 'Sweep…', 'run these controls over one or two fields: a live dev-vs-value plot'],
    ['exp-finder', links.finder(), 'LR finder…', 'one run whose learning rate grows exponentially: loss against log10(lr)'],
    ['exp-smoothing', links.smoothing(), 'Smoothing vs L2', "the count model's k and the neural n-gram's l2 on dev, side by side"],
  ];
  for (const [id, href, text, title] of items) box.append(el('a', { id, href, class: 'btn-link', title }, text));
}

export function initExperiments() {
  renderActions();
}
