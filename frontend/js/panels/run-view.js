// The open run: its name and note (stored on the server), its config, live steering (the model's live fields,
// e.g. the learning rate), the loss chart (train NLL raw and smoothed, the L2 penalty dashed, train/dev
// evaluations, references, learning-rate changes) and the character embedding.

import { api } from '../api.js';
import { bus, store, model, go, links, datasetInfo, datasetName } from '../state.js';
import { steer, isLive } from '../live.js';
import { buildFields, shown } from '../fields.js';
import { LossChart, ema } from '../charts/loss-chart.js';
import { Scatter } from '../charts/scatter.js';
import { $, el, clear, num, fmtNum, fmtInt, fmtLoss, debounce } from '../util.js';

const C = { raw: 'rgba(78,121,167,0.3)', train: '#4e79a7', full: '#8fb0d3', dev: '#e8590c', penalty: '#b07aa1', lr: '#9c36b5' };

let chart;
let scatter;
let beta = 0.8;
const bigramDev = new Map();
let steerFor = null;
let steerFields = null;
let steerLr = { changes: 0, sent: null }; // how many lr changes the steer box has shown; the last lr this tab sent

function lossSeries(r) {
  const prog = r ? r.progress : [];
  const evals = r ? r.evals : [];
  const sm = ema(prog.map((p) => p.trainLoss), beta);
  const series = [
    { key: 'raw', label: 'train NLL (batch)', color: C.raw, width: 1, points: prog.map((p) => [p.step, p.trainLoss]) },
    { key: 'ema', label: 'train NLL EMA', color: C.train, width: 1.25, points: prog.map((p, i) => [p.step, sm[i]]) },
  ];
  const pen = prog.filter((p) => p.penalty != null && Number.isFinite(p.penalty));
  if (pen.length) {
    series.push({ key: 'penalty', label: 'L2 penalty', color: C.penalty, width: 1.25, dash: [6, 4], scale: 'penalty', points: pen.map((p) => [p.step, p.penalty]) });
  }
  series.push({ key: 'full', label: 'train (full split)', color: C.full, width: 1, dash: [2, 3], dots: 4, points: evals.filter((e) => e.split === 'train').map((e) => [e.step, e.loss]) });
  series.push({ key: 'dev', label: 'dev', color: C.dev, width: 2.5, dots: 6, points: evals.filter((e) => e.split === 'dev').map((e) => [e.step, e.loss]) });
  return series;
}

async function refs(r) {
  const id = r.config.dataset;
  const info = datasetInfo(id);
  const out = [];
  if (info) out.push({ label: `uniform ln ${info.characters + 1}`, value: Math.log(info.characters + 1) });
  if (!bigramDev.has(id)) {
    bigramDev.set(id, null);
    api.ngram(id, 1, 1).then((b) => {
      bigramDev.set(id, num(b.dev));
      draw();
    }).catch(() => bigramDev.delete(id));
  }
  if (bigramDev.get(id) != null) out.push({ label: 'count bigram dev (k=1)', value: bigramDev.get(id), color: '#0ca678' });
  return out;
}

async function draw() {
  const r = store.run;
  const series = lossSeries(r);
  chart.set({
    series: r && r.progress.length ? series : series.filter((s) => s.points.length || s.key === 'dev'),
    refs: r ? await refs(r) : [],
    marks: r ? r.lrChanges.map((c) => ({ step: c.step, label: `lr → ${fmtNum(c.lr)}`, color: C.lr })) : [],
  });
  const node = $('loss-chart');
  node.dataset.devPoints = String(r ? r.evals.filter((e) => e.split === 'dev').length : 0);
  node.dataset.lrChanges = String(r ? r.lrChanges.length : 0);
  node.dataset.penaltyPoints = String(series.find((s) => s.key === 'penalty')?.points.length || 0);
  $('loss-empty').hidden = !!(r && (r.progress.length || r.evals.length));
  initNote(r);
}

/**
 * Lecture 3's first check: at initialisation every character should be about equally likely, a loss near the
 * uniform ln V. The first progress point is the first step's batch loss, taken before any update.
 */
function initNote(r) {
  const note = $('init-note');
  const info = r && datasetInfo(r.config.dataset);
  const first = r && r.progress.length ? r.progress[0] : null;
  const uniform = info ? Math.log(info.characters + 1) : null;
  const loss = first ? num(first.trainLoss) : null;
  note.hidden = !(first && first.step <= 1 && uniform != null && loss != null && loss > uniform + 0.5);
  note.dataset.initLoss = loss == null ? '' : String(loss);
  if (!note.hidden) {
    note.textContent = `The loss at initialisation is ${fmtNum(loss)}, far above ${uniform.toFixed(2)} (ln ${info.characters + 1},`
      + ' a uniform guess): the initial logits are overconfident, so the first steps only undo that (lecture 3).'
      + ' Fix: start the output layer small (weights near 0, bias 0) so the first predictions are near uniform;'
      + (r.config.init === 'naive' ? ' init "kaiming" here does that.' : ' lower the initial weight scale.');
  }
}

function renderHead(r) {
  $('run-head').hidden = !r;
  if (!r) return;
  if (document.activeElement !== $('run-name')) $('run-name').value = r.name || '';
  if (document.activeElement !== $('run-note')) $('run-note').value = r.note || '';
  $('run-name').placeholder = `name this run (${r.id})`;
  const chips = clear($('run-config'));
  chips.append(el('span', { class: 'chip' }, `${r.config.model} on ${datasetName(r.config.dataset)}`));
  const fields = model(r.config.model)?.fields || [];
  for (const [k, v] of Object.entries(r.config)) {
    const f = fields.find((x) => x.name === k);
    if (k === 'model' || k === 'dataset' || k === 'lrChanges' || (f && !shown(f, r.config))) continue; // only what applies
    chips.append(el('span', { class: 'chip' }, `${k} ${typeof v === 'number' ? fmtNum(v) : String(v)}`));
  }
  if (r.config.lrChanges && r.config.lrChanges.length) chips.append(el('span', { class: 'chip' }, `replays ${r.config.lrChanges.length} lr changes`));
  renderSteer(r);
}

/** Sliders for the model's live fields while the run trains: changes go to the server, any tab may send them. */
function renderSteer(r) {
  const live = isLive(r) && r.status === 'running';
  const spec = model(r.config.model);
  const liveFields = spec ? spec.fields.filter((f) => f.live) : [];
  $('steer').hidden = !live || !liveFields.length;
  if (!live || !liveFields.length) {
    steerFor = null;
    return;
  }
  const lr = latestLr(r);
  if (steerFor !== r.id) {
    steerFor = r.id;
    clear($('steer-fields'));
    $('steer-note').textContent = '';
    const send = debounce((name, value) => {
      if (!steer(name, value)) return;
      steerLr.sent = value;
      $('steer-note').textContent = `${name} → ${fmtNum(value)} sent; it applies from the next step`;
    }, 150);
    steerFields = buildFields($('steer-fields'), liveFields, { idPrefix: 'steer-', onChange: (name, value) => send(name, value) });
    const now = {};
    for (const f of liveFields) now[f.name] = f.name === 'lr' ? lr : r.config[f.name];
    steerFields.render(now);
    steerLr = { changes: r.lrChanges.length, sent: null };
    return;
  }
  // a change from any tab reaches every viewer of the run as an event: the box follows it, unless this tab's user
  // is typing into it
  const row = steerFields.rows.get('lr');
  if (row && r.lrChanges.length !== steerLr.changes && document.activeElement !== row.box) {
    steerLr.changes = r.lrChanges.length;
    steerFields.render({ lr });
    const from = fmtInt(r.lrChanges[r.lrChanges.length - 1].step);
    $('steer-note').textContent = lr === steerLr.sent ? `lr → ${fmtNum(lr)} sent; in effect from step ${from}`
      : `lr → ${fmtNum(lr)} from step ${from}, set elsewhere`;
  }
}

/** The learning rate the run trains with now: its latest change, else its config's (or the last step's). */
function latestLr(r) {
  if (r.lrChanges.length) return r.lrChanges[r.lrChanges.length - 1].lr;
  return r.config.lr ?? (r.progress.length ? r.progress[r.progress.length - 1].lr : null);
}

const saveLabels = debounce(async () => {
  const r = store.run;
  if (!r) return;
  const name = $('run-name').value;
  const note = $('run-note').value;
  try {
    const l = await api.label(r.id, { name, note });
    $('label-state').textContent = 'saved';
    bus.emit('run:stored', { id: l.id, name: l.name, note: l.note });
    bus.emit('runs:refresh');
  } catch (e) {
    $('label-state').textContent = e.message;
  }
}, 400);

/**
 * A count model is counted, not trained: no loss curve and no embedding to draw, so their panels give way to a
 * note with what the run has instead.
 */
function renderCounted(r) {
  const counted = !!(r && model(r.config.model) && !model(r.config.model).trainable);
  $('loss-panel').hidden = counted;
  $('emb-panel').hidden = counted || !!(r && !spec0(r));
  $('count-note').hidden = !counted;
  if (!counted) return;
  const dev = [...r.evals].reverse().find((e) => e.split === 'dev');
  const train = [...r.evals].reverse().find((e) => e.split === 'train');
  $('count-note').textContent = `A ${model(r.config.model).title} is counted, not trained: no loss curve, no embedding.`
    + (dev ? ` dev NLL ${fmtLoss(dev.loss)}` : '') + (train ? `, train NLL ${fmtLoss(train.loss)}` : '')
    + '. Its samples and the word probe are below; choose it in the form to move k live.';
}

function renderEmbedding(r) {
  const emb = r && r.embedding;
  scatter.empty = !r ? 'open or train a run' : emb ? '' : spec0(r) ? 'the embedding appears at the first evaluation'
    : `the ${model(r.config.model)?.title || r.config.model} has no character embedding`;
  if ((emb ? emb.points : []) !== scatter.source) {
    scatter.source = emb ? emb.points : [];
    scatter.set(scatter.source);
  }
  $('emb-note').textContent = emb ? `${emb.points.length} characters · step ${fmtInt(emb.step)}${r.config.embDim > 2 ? ` · PCA of ${r.config.embDim} dims` : ''} · hover for neighbours` : '';
}

function spec0(r) {
  return 'embDim' in r.config;
}

export function initRunView() {
  $('run-name').maxLength = store.limits.runName;
  $('run-note').maxLength = store.limits.runNote;
  chart = new LossChart($('loss-chart'));
  chart.onZoom = (z) => ($('zoom-reset').disabled = !z);
  scatter = new Scatter($('embedding'), $('emb-tip'));
  scatter.empty = 'open or train a run';
  scatter.render(1);
  $('zoom-reset').addEventListener('click', () => chart.reset());
  $('rerun-btn').addEventListener('click', () => store.run && go(links.rerunOf(store.run)));
  $('ema').addEventListener('input', () => {
    beta = Number($('ema').value);
    $('ema-val').textContent = beta.toFixed(2);
    draw();
  });
  $('logy').addEventListener('change', () => {
    chart.logY = $('logy').checked;
    draw();
  });
  for (const id of ['run-name', 'run-note']) {
    $(id).addEventListener('input', () => {
      $('label-state').textContent = 'editing…';
      saveLabels();
    });
  }
  let shownId = null;
  bus.on('run', (r) => {
    if ((r && r.id) !== shownId) {
      shownId = r && r.id;
      chart.reset();
    }
    renderHead(r);
    renderCounted(r);
    renderEmbedding(r);
    draw();
  });
  bus.on('datasets', draw);
  draw();
}
