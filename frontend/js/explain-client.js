// The page's one way to ask GET /api/runs/{id}/explain: answers are kept per run, parameter version and text (the
// strips, the compare mode and the next-character explorer share them), requests go one after another (a compare
// of four runs must not land four at once on a server that may answer some with 429 "busy"), and a 429 is asked
// again a few times, a little later each time, before the page says the server is busy.

import { api, ApiError } from './api.js';
import { TERMINAL } from './state.js';

const KEEP = 300; // answers kept: a few runs' worth of sample lists and typed prefixes
const RETRIES = [250, 600, 1200, 2500]; // ms before each new try after a 429

// `${run}\n${version}\n${text}` -> the pending or settled answer
const cache = new Map();
let queue = Promise.resolve();

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

async function ask(runId, text) {
  for (let i = 0; ; i++) {
    try {
      return await api.explain(runId, text);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 429)) throw e;
      if (i >= RETRIES.length) throw new ApiError(429, 'the server is busy with other explanations; try again in a moment');
      await sleep(RETRIES[i]);
    }
  }
}

/** The answer for `text` under run `runId`'s parameters named by `version` (see paramsVersion). */
export function explainText(runId, version, text) {
  const key = `${runId}\n${version}\n${text}`;
  let answer = cache.get(key);
  if (!answer) {
    answer = queue.then(() => ask(runId, text));
    queue = answer.catch(() => {});
    cache.set(key, answer);
    if (cache.size > KEEP) cache.delete(cache.keys().next().value);
    // a 400 (a character outside the vocabulary) stays true for the run; anything else may not, so ask again
    answer.catch((e) => {
      if (!(e instanceof ApiError && e.status === 400)) cache.delete(key);
    });
  }
  return answer;
}

/**
 * A name for the parameters a run answers with, from its list entry or record: an ended run keeps its final ones;
 * a run still training gets better ones whenever its best dev improves.
 */
export function paramsVersion(r) {
  if (!r) return 'unknown';
  return TERMINAL.includes(r.status) ? 'final' : `dev ${r.bestDev ?? 'none'}`;
}

/**
 * Whether an answer given under parameter version `then` is stale now. A run the page had not listed yet ('unknown')
 * that turns out to have ended answered with its final parameters already: asking again would only repeat it.
 */
export function stale(then, now) {
  return then !== now && !(then === 'unknown' && now === 'final');
}
