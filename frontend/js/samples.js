// A list of generated names, each tagged new or with the split that already holds it; and the novelty rate.

import { el, clear } from './util.js';

export function renderSampleList(list, names, start = 0) {
  if (start === 0) clear(list);
  for (const s of names.slice(start)) {
    const li = el('li', { class: s.seen ? 'seen' : 'new' });
    li.append(el('span', { class: 'text' }, s.text === '' ? '(empty)' : s.text),
      el('span', { class: 'tag', title: s.seen ? `already in the ${s.seen} split` : 'not in the dataset' }, s.seen || 'new'));
    list.append(li);
  }
}

export function noveltyText(names) {
  const n = names.length;
  const fresh = names.filter((s) => !s.seen).length;
  return n ? `${fresh}/${n} new (${Math.round((100 * fresh) / n)}% novel)` : '';
}
