// Makemore Lab page: learns the models and datasets from the server, starts the panels, and shows the view the
// URL names (#/runs/{id}, #/new?config=..., #/compare?ids=...). Back and forward always land on the URL's state.

import { api } from './api.js';
import { bus, store, go, views, startRouting } from './state.js';
import './live.js';
import { initControls, reloadDatasets } from './panels/controls.js';
import { initNotices } from './panels/notices.js';
import { initRunbar } from './panels/runbar.js';
import { initRunView } from './panels/run-view.js';
import { initRunTools } from './panels/run-tools.js';
import { initRuns } from './panels/runs.js';
import { initCompare } from './panels/compare.js';
import { initNgram } from './panels/ngram.js';
import { initExperiments } from './panels/experiments.js';
import { $ } from './util.js';

let formModel = 'mlp';

/** Which center view the route (and, on a new run, the form's model) asks for. */
function viewFor(route) {
  if (route.name === 'new') return formModel === 'ngram' ? 'ngram' : 'run';
  return views.has(route.name) ? route.name : 'unknown';
}

function showView() {
  const v = viewFor(store.route);
  for (const [name, id] of views) $(id).hidden = name !== v;
  document.body.dataset.view = v;
  bus.emit('view', v);
}

async function start() {
  try {
    store.models = await api.models();
  } catch (e) {
    $('global-error-text').textContent = `Cannot load the models from the lab server: ${e.message}`;
    $('global-error').hidden = false;
    return;
  }
  await reloadDatasets();
  initControls();
  initNotices();
  initRunbar();
  initRunView();
  initRunTools();
  initRuns();
  initCompare();
  initNgram();
  initExperiments();
  bus.on('form', (f) => {
    formModel = f.model;
    // exploring a count model happens on the new-run view: leave the run on show (back returns to it)
    if (f.source === 'user' && f.model === 'ngram' && store.route.name === 'run') go('#/new');
    else showView();
  });
  bus.on('route', showView);
  startRouting();
  document.body.dataset.ready = 'true'; // every panel listens from here on
}

start();
