// Messages under the bar: errors, and what a re-run link brought: its config is in the form; the dataset it
// names is found by content hash, or the page says it is missing and offers to upload it (checking the hash).

import { api } from '../api.js';
import { bus, store, reloadDatasets, linkConfig } from '../state.js';
import { $, el, clear } from '../util.js';

function showError(msg) {
  $('global-error-text').textContent = msg;
  $('global-error').hidden = false;
}

function banner(text, actions = []) {
  $('mode-text').textContent = text;
  const box = clear($('mode-actions'));
  for (const a of actions) box.append(a);
  $('mode-banner').hidden = false;
}

function trainButton(enabled) {
  const b = el('button', { type: 'button', class: 'small primary', id: 'banner-train', onclick: () => bus.emit('form:train') }, 'Train it');
  b.disabled = !enabled;
  return b;
}

/** Finds the link's dataset here: by hash when the link has one, else by id. */
function resolveDataset(cfg, sha256) {
  if (sha256) return store.datasets.find((d) => d.sha256 === sha256) || null;
  return store.datasets.find((d) => d.id === (cfg.dataset || 'names')) || null;
}

function onLink(route) {
  const read = linkConfig(route.config);
  if (read.error) {
    showError(`This re-run link is broken: ${read.error}. Nothing was loaded from it; the form keeps its values.`);
    return;
  }
  const cfg = read.config;
  const seed = cfg.seed ?? 'default';
  const changes = Array.isArray(cfg.lrChanges) ? cfg.lrChanges.length : 0;
  const same = `Re-run link: its config (seed ${seed}${changes ? `, ${changes} learning-rate change${changes > 1 ? 's' : ''} replayed` : ''}) is loaded on the left. Training it gives the same curves as the original.`;
  const found = resolveDataset(cfg, route.sha256);
  if (found) {
    if (found.id !== cfg.dataset) bus.emit('form:dataset', found.id);
    banner(same, [trainButton(true)]);
    return;
  }
  const name = route.dataName || cfg.dataset || 'its dataset';
  const input = el('input', { type: 'file', id: 'banner-upload-file', accept: '.txt,.csv,text/plain', hidden: true });
  const pick = el('button', { type: 'button', class: 'small', id: 'banner-upload', onclick: () => input.click() }, `Upload ${name}…`);
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    try {
      const info = await api.upload(file);
      await reloadDatasets();
      if (route.sha256 && info.sha256 !== route.sha256) {
        banner(`${file.name} is not the file this link was made with (its sha256 is ${info.sha256.slice(0, 12)}…, the link needs ${route.sha256.slice(0, 12)}…). It was added to the lab, but the link's run would not be reproduced. Upload the original file.`, [pick, input, trainButton(false)]);
        return;
      }
      bus.emit('form:dataset', info.id);
      banner(`${file.name} matches the link's dataset. ${same}`, [trainButton(true)]);
    } catch (e) {
      banner(`${file.name}: ${e.message}`, [pick, input, trainButton(false)]);
    }
  });
  banner(`This re-run link trains on "${name}"${route.sha256 ? ` (sha256 ${route.sha256.slice(0, 12)}…)` : ''}, which this lab does not have. Upload that file to train it; its hash is checked.`, [pick, input, trainButton(false)]);
  $('mode-banner').dataset.missing = 'true';
}

export function initNotices() {
  $('global-error-close').addEventListener('click', () => ($('global-error').hidden = true));
  bus.on('error', showError);
  bus.on('route', (route) => {
    $('mode-banner').hidden = true;
    $('mode-banner').dataset.missing = 'false';
    $('global-error').hidden = true;
    if (route.name === 'new' && route.config != null) onLink(route);
  });
}
