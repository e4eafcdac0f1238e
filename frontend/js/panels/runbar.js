// The bar at the top: the open run's status, progress, speed, ETA and latest dev loss; Stop; its links. Also the
// run's message (said once), and where a queued run waits.

import { api } from '../api.js';
import { bus, store, links, datasetName, runLabel, TERMINAL } from '../state.js';
import { eta, isLive } from '../live.js';
import { $, fmtLoss, fmtInt, fmtDuration } from '../util.js';

/** Where a queued run waits: its place among queued runs and how many train now. */
export function queuePlace(id, runs) {
  const queued = runs.filter((r) => r.status === 'queued').sort((a, b) => String(a.created).localeCompare(String(b.created)));
  const i = queued.findIndex((r) => r.id === id);
  if (i < 0) return null;
  const training = runs.filter((r) => r.status === 'running').length;
  return { position: i + 1, ahead: i, training };
}

function ordinal(n) {
  return n + (n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th');
}

/** "Run x finished: finished 300 steps" says it twice: the status goes only where the message lacks it. */
export function statusLine(r) {
  const msg = (r.message || '').trim();
  const who = `Run ${runLabel(r)}`;
  if (!msg) return `${who}: ${r.status}`;
  return msg.toLowerCase().startsWith(r.status) ? `${who}: ${msg}` : `${who} ${r.status}: ${msg}`;
}

function render() {
  const r = store.run;
  const route = store.route;
  const status = r ? r.status : route.name === 'run' ? 'connecting' : 'idle';
  $('run-status').textContent = status;
  $('run-status').dataset.status = status;
  $('run-id').textContent = r ? `${runLabel(r)} · ${r.config.model} · ${datasetName(r.config.dataset)}` : '';
  $('run-id').title = r ? r.id : '';
  const steps = r ? r.config.steps || 0 : 0;
  const step = r ? r.step : 0;
  $('run-progress').style.width = `${r ? (steps > 0 ? Math.min(100, (100 * step) / steps) : TERMINAL.includes(status) ? 100 : 0) : 0}%`;
  $('run-step').textContent = r ? `step ${fmtInt(step)} / ${fmtInt(steps)}` : 'step —';
  const rate = r ? r.stepsPerSec : null;
  $('run-rate').textContent = rate ? `${rate >= 100 ? fmtInt(rate) : rate.toFixed(1)} steps/s` : '— steps/s';
  const left = eta(r);
  $('run-eta').textContent = r && TERMINAL.includes(status) ? 'done' : left != null ? `ETA ${fmtDuration(left)}` : 'ETA —';
  const last = r ? [...r.evals].reverse().find((e) => e.split === 'dev') : null;
  $('run-dev').textContent = last ? `dev ${fmtLoss(last.loss)}` : 'dev —';
  $('run-dev').title = r && r.bestDev != null ? `latest dev NLL; best ${fmtLoss(r.bestDev)}` : 'latest dev NLL';
  $('stop').disabled = !isLive(r);
  $('copy-link').disabled = !r;
  $('copy-rerun').disabled = !r;

  const msg = $('run-message');
  msg.hidden = true;
  if (r && status === 'queued') {
    const q = queuePlace(r.id, store.runs);
    msg.hidden = false;
    msg.className = 'notice info';
    msg.textContent = q
      ? `Run ${runLabel(r)} is queued: ${ordinal(q.position)} in line, ${q.ahead ? `${q.ahead} queued ahead of it, ` : ''}${q.training} training now. It starts when a trainer is free.`
      : `Run ${runLabel(r)} is queued: it starts when a trainer is free.`;
    msg.dataset.position = q ? String(q.position) : '';
  } else if (r && r.message && TERMINAL.includes(status)) {
    msg.hidden = false;
    msg.textContent = statusLine(r);
    msg.className = `notice ${['diverged', 'failed', 'interrupted'].includes(status) ? 'error' : 'info'}`;
  }
}

async function share(url, label) {
  $('share-box').hidden = false;
  $('share-label').textContent = label;
  $('share-url').value = url;
  $('share-url').select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch (e) {
    copied = false;
  }
  $('share-note').textContent = copied ? 'copied to the clipboard' : 'select and copy (the browser did not allow clipboard access)';
}

export function initRunbar() {
  $('stop').addEventListener('click', async () => {
    if (!store.run) return;
    try {
      await api.stop(store.run.id);
      $('stop').disabled = true;
    } catch (e) {
      bus.emit('error', `Stop: ${e.message}`);
    }
  });
  $('copy-link').addEventListener('click', () => store.run && share(`${location.origin}/${links.run(store.run.id)}`, 'Run link'));
  $('copy-rerun').addEventListener('click', () => store.run
    && share(`${location.origin}/${links.rerunOf(store.run)}`, 'Re-run link (config, learning-rate changes, dataset hash)'));
  bus.on('run', render);
  bus.on('runs', render);
  bus.on('route', () => {
    $('share-box').hidden = true;
    render();
  });
  setInterval(() => store.run && store.run.status === 'running' && render(), 1000); // the ETA moves between events
}
