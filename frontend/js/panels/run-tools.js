// What any opened run offers once it has parameters: samples at any temperature ("Sample 20 more" appends),
// a word probe, and the test score (once, stored). They use the run's best-dev parameters, and say which step
// those are from; a finished count run's parameters are its counts (the server recounts them when needed).
// Hovering or focusing a sample, or the probed word, explains it position by position (explain-strip.js).

import { api, ApiError } from '../api.js';
import { bus, store, model, links, TERMINAL } from '../state.js';
import { renderSampleList, noveltyText } from '../samples.js';
import { ExplainStrip, explainOn } from '../explain-strip.js';
import { inRange, rangeText } from '../fields.js';
import { $, el, clear, num, fmtLoss, fmtNum, fmtInt, fmtTime } from '../util.js';

let extra = []; // samples drawn on request, appended under the run's own
let extraFor = null;
let scoredBefore = null; // the run whose test score the server already had when asked again
let probed = null; // the word the probe last answered for, as the server read it
let sampleStrip;
let probeStrip;

/** The step whose parameters the run keeps: its first best dev evaluation. */
export function bestStep(r) {
  let best = null;
  for (const e of r.evals) if (e.split === 'dev' && Number.isFinite(e.loss) && (!best || e.loss < best.loss)) best = e;
  return best;
}

/**
 * A finished count model: its counts answer samples and probes even when dev NLL is infinite (smoothing 0),
 * which leaves it without a finite best-dev step.
 */
function counted(r) {
  return !!r && r.status === 'finished' && model(r.config && r.config.model)?.trainable === false;
}

function render(r) {
  if (!r || r.id !== extraFor) {
    extra = [];
    extraFor = r && r.id;
    $('test-warn').hidden = true;
    sampleStrip.clear();
    clearProbe();
  }
  const best = r && bestStep(r);
  const counts = counted(r);
  const has = !!best || counts;
  $('next-link').href = links.next(r ? [r.id] : [], '');
  $('inside-link').href = links.inside(r ? [r.id] : [], '');
  $('more-samples').disabled = !has;
  $('probe-btn').disabled = !has;
  const own = r && r.samples ? r.samples.names : [];
  const all = [...own, ...extra.flatMap((b) => b.names)];
  renderSampleList($('samples'), all, { focusable: true });
  const parts = [];
  if (r && r.samples) parts.push(counts ? `${own.length} when counted` : `${own.length} at step ${fmtInt(r.samples.step)} (last step)`);
  for (const b of extra) parts.push(`+${b.names.length} at T=${fmtNum(b.temperature)}`);
  $('samples-note').textContent = r ? `${parts.join(' · ') || 'samples arrive at each evaluation'}${all.length ? ' · ' + noveltyText(all) : ''}` : '';
  $('samples-note').dataset.novelty = all.length ? String(all.filter((s) => !s.seen).length / all.length) : '';
  $('samples').dataset.count = String(all.length);
  $('samples-hint').hidden = !all.length;
  $('probe-note').textContent = counts
    ? 'uses the counts of the train split, as do "Sample 20 more" and the test score'
    : has
    ? `uses the best-dev parameters (step ${fmtInt(best.step)}, dev ${fmtLoss(best.loss)}), as do "Sample 20 more" and the test score`
    : 'each character\u2019s probability, once the run has been evaluated';
  renderTest(r);
}

function renderTest(r) {
  $('test-box').hidden = !r;
  if (!r) return;
  if (r.test) {
    $('test-result').textContent = `test NLL ${fmtLoss(r.test.loss)} · scored ${fmtTime(r.test.scoredAt)}`
      + (scoredBefore === r.id ? ' (scored before: this is the stored value)' : '');
    $('test-result').className = 'strong';
  } else {
    $('test-result').textContent = 'not scored yet';
    $('test-result').className = 'muted';
  }
  $('test-btn').hidden = !!r.test;
  $('test-btn').disabled = !TERMINAL.includes(r.status);
  $('test-btn').title = TERMINAL.includes(r.status) ? '' : 'available once the run has ended';
}

async function scoreTest() {
  const r = store.run;
  $('test-warn').hidden = true;
  try {
    const t = await api.test(r.id);
    if (t.alreadyScored) scoredBefore = r.id;
    bus.emit('run:stored', { id: r.id, test: { loss: num(t.loss), scoredAt: t.scoredAt } });
    if (store.run && store.run.id === r.id) renderTest(store.run);
    bus.emit('runs:refresh');
  } catch (e) {
    bus.emit('error', `Test score: ${e.message}`);
  }
}

async function moreSamples() {
  const r = store.run;
  const temperature = Number($('sample-temp').value);
  const range = store.limits.temperature;
  $('err-samples').textContent = '';
  if (!inRange(range, temperature)) {
    $('err-samples').textContent = `temperature must be in ${rangeText(range)}`;
    return;
  }
  try {
    const res = await api.samples(r.id, 20, temperature, Math.floor(Math.random() * 1e9));
    if (store.run !== r) return;
    extra.push({ temperature, names: res.names });
    render(r);
  } catch (e) {
    $('err-samples').textContent = e.message;
  }
}

/** The version of a run's parameters, for the explain strips' cache: they change while it trains. */
function paramsVersion(r) {
  return TERMINAL.includes(r.status) ? 'final' : `step ${bestStep(r)?.step ?? 'none'}`;
}

function explain(strip, text) {
  const r = store.run;
  if (r) strip.show(r.id, paramsVersion(r), text);
}

/** A result is only ever shown next to the word it belongs to. */
function clearProbe() {
  probed = null;
  clear($('probe-out')).removeAttribute('tabindex');
  $('probe-hint').hidden = true;
  $('probe-nll').textContent = '';
  $('err-probe').textContent = '';
  probeStrip.clear();
}

async function probe(ev) {
  ev.preventDefault();
  const r = store.run;
  const typed = $('probe-word').value.trim();
  clearProbe();
  if (!r || !typed) {
    $('err-probe').textContent = typed ? 'open a run first' : 'type a word';
    return;
  }
  let res;
  let word = typed;
  try {
    res = await api.probe(r.id, word);
  } catch (e) {
    // names are lower case: "Emma" is probed as "emma" (when the case was the only problem)
    if (!(e instanceof ApiError && e.field === 'word' && typed.toLowerCase() !== typed)) {
      $('err-probe').textContent = e.message;
      return;
    }
    word = typed.toLowerCase();
    try {
      res = await api.probe(r.id, word);
    } catch (e2) {
      $('err-probe').textContent = e2.message;
      return;
    }
  }
  if (store.run !== r || $('probe-word').value.trim() !== typed) return;
  const out = clear($('probe-out'));
  for (const c of res.chars) {
    const p = num(c.p);
    const cell = el('div', { class: 'pc', title: `P(${c.ch}) = ${p.toFixed(4)}, −ln p = ${(-Math.log(p)).toFixed(3)}` });
    const bar = el('div', { class: 'bar' });
    bar.append(el('div', { class: 'fill', style: `height:${Math.max(2, Math.round(p * 100))}%` }));
    cell.append(bar, el('div', { class: 'ch mono' }, c.ch), el('div', { class: 'p' }, p >= 0.01 ? p.toFixed(2) : p.toExponential(0)));
    out.append(cell);
  }
  probed = res.word ?? word;
  out.tabIndex = 0;
  out.setAttribute('aria-label', `"${probed}": focus to explain it position by position`);
  $('probe-hint').hidden = false;
  $('probe-nll').textContent = `NLL ${fmtLoss(res.nll)} per character${word !== typed ? ` (probed as "${word}")` : ''}`;
}

export function initRunTools() {
  sampleStrip = new ExplainStrip($('samples-explain'));
  probeStrip = new ExplainStrip($('probe-explain'));
  explainOn($('samples'), 'li[data-text]', (li) => explain(sampleStrip, li.dataset.text));
  explainOn($('probe-out'), null, () => probed != null && explain(probeStrip, probed));
  $('probe-word').maxLength = store.limits.maxChars;
  $('test-btn').addEventListener('click', () => ($('test-warn').hidden = false));
  $('test-cancel').addEventListener('click', () => ($('test-warn').hidden = true));
  $('test-confirm').addEventListener('click', scoreTest);
  $('more-samples').addEventListener('click', moreSamples);
  $('probe-form').addEventListener('submit', probe);
  $('probe-word').addEventListener('input', clearProbe);
  bus.on('run', render);
  render(null);
}
