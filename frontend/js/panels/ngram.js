// The count n-gram explorer: while the new-run form holds a count model, every move of k or context re-scores
// train/dev NLL on the server's cached counts (no Train needed), plots dev NLL against k, lists samples and
// draws the bigram count or probability matrix.

import { api } from '../api.js';
import { bus, store, datasetName, datasetInfo, currentConfig } from '../state.js';
import { NllVsKChart } from '../charts/nll-vs-k-chart.js';
import { Heatmap } from '../charts/heatmap.js';
import { renderSampleList, noveltyText } from '../samples.js';
import { $, num, fmtLoss, fmtNum, debounce } from '../util.js';

const K_SWEEP = [0.001, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 10000];

let kChart;
let heatmap;
let seq = 0;
let sweepKey = '';
let active = false;

const scoreSoon = debounce(() => score(), 40);

async function score() {
  if (!active || store.form.model !== 'ngram' || store.form.invalid) return;
  const config = currentConfig();
  const { dataset } = config;
  if (!datasetInfo(dataset)) {
    $('ngram-note').textContent = `the dataset ${dataset} is not in this lab: upload it first`;
    return;
  }
  const k = config.smoothing ?? 1;
  const ctx = config.context ?? 1;
  const mine = ++seq;
  const key = `${dataset}|${ctx}`;
  if (key !== sweepKey) kChart.reset();
  let r;
  try {
    r = await api.ngram(dataset, ctx, k, config.discount); // the KN discount, when the form shows one
  } catch (e) {
    if (mine === seq) $('ngram-note').textContent = e.message;
    return;
  }
  if (mine !== seq) return; // a newer move has been answered or is on its way
  // the readouts show the method the form holds: Kneser-Ney's own numbers and discount when it is chosen
  const knChosen = config.method === 'kneser-ney' && r.kneserNey;
  const shown = knChosen ? r.kneserNey : r;
  $('ngram-dev').textContent = fmtLoss(shown.dev);
  $('ngram-train').textContent = fmtLoss(shown.train);
  $('ngram-k-label').textContent = knChosen ? 'discount D' : 'k';
  $('ngram-k').textContent = fmtNum(knChosen ? num(r.kneserNey.discount) : k);
  $('ngram-uniform').textContent = Math.log(r.vocab.length).toFixed(4);
  $('ngram-note').textContent = `${ctx === 1 ? 'bigram' : ctx + 1 + '-gram'}${knChosen ? ', Kneser-Ney,' : ''} on ${datasetName(dataset)}`
    + (!knChosen && num(r.dev) === Infinity ? ' · dev NLL is infinite: a pair unseen in train gets probability 0, raise k' : '');
  renderSampleList($('ngram-samples'), r.samples);
  $('ngram-novelty').textContent = noveltyText(r.samples);
  kChart.add(k, num(r.train), num(r.dev), true);
  // interpolated Kneser-Ney on the same counts (absent from older servers): a line next to add-k's curve
  const kn = r.kneserNey;
  kChart.setReference(kn ? { y: num(kn.dev), label: `Kneser-Ney (D = ${fmtNum(num(kn.discount))}): dev ${fmtLoss(kn.dev)}` } : null);
  $('ngram-kn').textContent = kn ? `· Kneser-Ney dev ${fmtLoss(kn.dev)} (dashed)` : '';
  kChart.setCurrent(k);
  const hasMatrix = Array.isArray(r.counts) && r.counts.length > 0;
  $('heat-empty').hidden = hasMatrix;
  heatmap.set(hasMatrix ? r.vocab : [], hasMatrix ? r.counts : [], k);
  if (key !== sweepKey) {
    sweepKey = key;
    sweep(key, dataset, ctx);
  }
}

/** Fills the k plot with a coarse sweep so the curve is there before anyone explores. */
async function sweep(key, dataset, ctx) {
  for (const k of K_SWEEP) {
    if (sweepKey !== key || !active) return;
    try {
      const r = await api.ngram(dataset, ctx, k);
      if (sweepKey === key) kChart.add(k, num(r.train), num(r.dev), false);
    } catch (e) {
      return;
    }
  }
}

export function initNgram() {
  kChart = new NllVsKChart($('kplot'));
  heatmap = new Heatmap($('heatmap'), $('heat-tip'));
  for (const b of $('heat-mode').querySelectorAll('button')) {
    b.addEventListener('click', () => {
      heatmap.mode = b.dataset.mode;
      for (const o of $('heat-mode').querySelectorAll('button')) o.setAttribute('aria-pressed', String(o === b));
      heatmap.draw();
    });
  }
  bus.on('form', (f) => {
    if (f.key === 'context' || f.key === 'dataset') sweepKey = '';
    scoreSoon();
  });
  bus.on('datasets', () => scoreSoon());
  bus.on('view', (v) => {
    const was = active;
    active = v === 'ngram';
    if (active && !was) {
      sweepKey = '';
      scoreSoon();
    }
  });
}
