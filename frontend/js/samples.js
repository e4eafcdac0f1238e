// A list of generated names, each tagged new or with the split that already holds it; and the novelty rate.

import { el } from './util.js';

/**
 * Items that already show the right name are kept, so a list redrawn while its run trains keeps the keyboard's
 * focus (and the pointer's hover); `focusable` items take the focus, for lists whose names can be explained.
 */
export function renderSampleList(list, names, { focusable = false } = {}) {
  const items = [...list.children];
  let keep = 0;
  while (keep < items.length && keep < names.length && items[keep].dataset.text === names[keep].text
    && items[keep].dataset.seen === (names[keep].seen || '')) keep++;
  for (const li of items.slice(keep)) li.remove();
  for (const s of names.slice(keep)) {
    const li = el('li', { class: s.seen ? 'seen' : 'new', tabindex: focusable ? '0' : null,
      dataset: { text: s.text, seen: s.seen || '' } });
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
