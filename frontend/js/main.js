// Makemore Lab page: learns the models and the limits from the server, starts every panel, and shows the view the
// URL names (#/runs/{id}, #/new?config=..., #/compare?ids=..., #/explain?ids=..&text=.., #/next?ids=..). Back
// and forward always land on the URL's state.

import { bus, store, go, views, startRouting, loadModelsAndLimits } from './state.js';
import './live.js';
import { initControls } from './panels/controls.js';
import { initNotices } from './panels/notices.js';
import { initRunbar } from './panels/runbar.js';
import { initRunView } from './panels/run-view.js';
import { initRunTools } from './panels/run-tools.js';
import { initRuns } from './panels/runs.js';
import { initCompare } from './panels/compare.js';
import { initExplainCompare } from './panels/explain-compare.js';
import { initNextChar } from './panels/next-char.js';
import { initInside } from './panels/inside.js';
import { initNgram } from './panels/ngram.js';
import { initExperiments } from './panels/experiments.js';
import { initSweeps } from './panels/sweeps.js';
import { initSweepView } from './panels/sweep-view.js';
import { initFinder } from './panels/lr-finder.js';
import { initSmoothingL2 } from './panels/smoothing-l2.js';
import { initHealth } from './panels/health.js';
import { initDevNames } from './panels/dev-names.js';
import { initPositionLoss } from './panels/position-loss.js';
import { $ } from './util.js';

/** Which center view the route (and, on a new run, the form's model) asks for. */
function viewFor(route) {
  if (route.name === 'new') return store.form.model === 'ngram' ? 'ngram' : 'run';
  return views.has(route.name) ? route.name : 'unknown';
}

function showView() {
  const v = viewFor(store.route);
  for (const [name, id] of views) $(id).hidden = name !== v;
  document.body.dataset.view = v;
  document.body.dataset.route = store.route.name;
  bus.emit('view', v);
}

// What the route opens: another run, another comparison or another view; the same one announced again (a replaced
// history entry) is not an opening.
let opened = null;

function openingOf(route) {
  return JSON.stringify([route.name, route.id || null, route.ids || null]);
}

/**
 * A view that opens starts at its top: a run opened from the list far down the page would show its chart cut off.
 * The top of the page is the view's top in every layout (a phone puts the view first, but the form on a new run).
 */
function scrollToView() {
  const key = openingOf(store.route);
  if (key === opened) return;
  const first = opened == null;
  opened = key;
  if (!first) window.scrollTo({ top: 0, behavior: 'instant' }); // a reload keeps the scroll the browser restores
}

/** The skip link: to the view on show, past the bar and the form, without touching the route in the URL. */
function skipToView(e) {
  e.preventDefault();
  const view = $(views.get(viewFor(store.route)));
  view.tabIndex = -1;
  view.focus({ preventScroll: true });
  view.scrollIntoView({ block: 'start' });
}

async function start() {
  try {
    await loadModelsAndLimits();
  } catch (e) {
    $('global-error-text').textContent = `Cannot load the models and limits from the lab server: ${e.message}`;
    $('global-error').hidden = false;
    return;
  }
  // the run list asks for its first page now, so it is drawn while the form loads (a lab may hold 10,000 runs)
  initRuns();
  // the dataset list comes first: the first route may be a re-run link, whose dataset is looked up in it
  await initControls();
  initNotices();
  initRunbar();
  initRunView();
  initRunTools();
  initCompare();
  initExplainCompare();
  initNextChar();
  initInside();
  initNgram();
  initExperiments();
  initSweeps();
  initSweepView();
  initFinder();
  initSmoothingL2();
  initHealth();
  initDevNames();
  initPositionLoss();
  bus.on('form', (f) => {
    // exploring a count model happens on the new-run view: leave the run on show (back returns to it)
    if (f.source === 'user' && store.form.model === 'ngram' && store.route.name === 'run') go('#/new');
    else showView();
  });
  bus.on('route', () => {
    showView();
    scrollToView();
  });
  $('skip').addEventListener('click', skipToView);
  startRouting();
  document.body.dataset.ready = 'true'; // every panel listens from here on
}

start();
