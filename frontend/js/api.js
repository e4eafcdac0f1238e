// REST and WebSocket client for the lab server (same origin): runs, datasets, the count explorer, sweeps, the LR
// finder's curve and the smoothing-vs-L2 experiment (backend/API.md). Errors become ApiError with the server's
// {error, field}.
// Every body goes with its content type spelled out (JSON as application/json, uploads as
// application/octet-stream): the server refuses bodies without one.

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field || null;
  }
}

async function request(method, path, body, contentType) {
  return (await exchange(method, path, body, contentType)).data;
}

/** The answer's body and its response (for headers); an aborted request rethrows the AbortError to its caller. */
async function exchange(method, path, body, contentType, signal) {
  const opts = { method, headers: { Accept: 'application/json' }, signal };
  if (body !== undefined) {
    opts.headers['Content-Type'] = contentType || 'application/json';
    opts.body = contentType ? body : JSON.stringify(body);
  } else if (method !== 'GET') {
    // an empty JSON object, so a POST without a body is still a JSON request
    opts.headers['Content-Type'] = 'application/json';
    opts.body = '{}';
  }
  let res;
  try {
    res = await fetch(path, opts);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'cannot reach the lab server (is it still running?)', null);
  }
  if (res.status === 204) return { data: null, res };
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (!res.ok) {
    const msg = data && data.error ? data.error : `${res.status} ${res.statusText || 'error'}`;
    throw new ApiError(res.status, msg, data && data.field);
  }
  return { data, res };
}

const run = (id) => `/api/runs/${encodeURIComponent(id)}`;
const sweep = (id) => `/api/sweeps/${encodeURIComponent(id)}`;

export const api = {
  models: () => request('GET', '/api/models'),
  limits: () => request('GET', '/api/limits'),
  datasets: () => request('GET', '/api/datasets'),
  upload: (file) => request('POST', `/api/datasets?name=${encodeURIComponent(file.name)}`, file, 'application/octet-stream'),
  ngram: (dataset, context, smoothing, discount) =>
    request('GET', `/api/ngram?dataset=${encodeURIComponent(dataset)}&context=${context}&smoothing=${smoothing}`
      + (discount != null ? `&discount=${discount}` : '')),
  /** One page of the run list ({runs, total}); `params` as GET /api/runs takes them, `signal` aborts it. */
  runPage: async (params, signal) => {
    const { data, res } = await exchange('GET', `/api/runs?${new URLSearchParams(params)}`, undefined, undefined, signal);
    return { runs: data, total: Number(res.headers.get('X-Total-Count') ?? data.length) };
  },
  run: (id) => request('GET', run(id)),
  create: (config) => request('POST', '/api/runs', config),
  // the config's estimated time on the server's machine, or the 400 creating it would get; stores nothing
  estimate: (config) => request('POST', '/api/runs/estimate', config),
  label: (id, labels) => request('PATCH', run(id), labels),
  stop: (id) => request('POST', `${run(id)}/stop`),
  remove: (id) => request('DELETE', run(id)),
  test: (id) => request('POST', `${run(id)}/test`),
  samples: (id, n, temperature, seed) => request('POST', `${run(id)}/samples`, { n, temperature, seed }),
  probe: (id, word) => request('POST', `${run(id)}/probe`, { word }),
  lossByPosition: (id) => request('GET', `${run(id)}/loss-by-position`),
  explain: (id, text) => request('GET', `${run(id)}/explain?text=${encodeURIComponent(text)}`),
  attention: (id, text) => request('GET', `${run(id)}/attention?text=${encodeURIComponent(text)}`),
  influence: (id, text, position) => request('GET', `${run(id)}/influence?text=${encodeURIComponent(text)}`
    + (position != null ? `&position=${position}` : '')),
  // the long format (run, name, sweep, every config field, step, split, loss, lr): opens in pandas as is
  exportUrl: (ids, format) => `/api/export/long?ids=${ids.map(encodeURIComponent).join(',')}&format=${format}`,
  lrFinder: (runId) => request('GET', `${run(runId)}/lr-finder`),
  // `signal` aborts it: the server stops a comparison whose page has gone
  smoothingL2: async ({ dataset, context, steps, points }, signal) => (await exchange('GET',
    `/api/experiments/smoothing-l2?dataset=${encodeURIComponent(dataset)}&context=${context}&steps=${steps}&points=${points}`,
    undefined, undefined, signal)).data,
  sweeps: () => request('GET', '/api/sweeps'),
  sweep: (id) => request('GET', sweep(id)),
  createSweep: (definition) => request('POST', '/api/sweeps', definition),
  stopSweep: (id) => request('POST', `${sweep(id)}/stop`),
  deleteSweep: (id) => request('DELETE', sweep(id)),
  testSweep: (id) => request('POST', `${sweep(id)}/test`),
  sweepRungs: (id) => request('GET', `${sweep(id)}/rungs`),
  sweepExportUrl: (id, format) => `${sweep(id)}/export?format=${format}`,
};

/**
 * A WebSocket to one live thing (a run, a sweep): snapshot first, then events. Reconnects (and so gets a fresh
 * snapshot) until {@code ended(message)} says nothing more can change; close code 4404 means it does not exist.
 */
class LiveSocket {
  constructor(path, what, onMessage, onGone, ended = () => false) {
    this.path = path;
    this.what = what;
    this.onMessage = onMessage;
    this.onGone = onGone;
    this.endedBy = ended;
    this.closed = false;
    this.ended = false;
    this.retries = 0;
    this.connect();
  }

  connect() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}${this.path}`);
    this.ws = ws;
    ws.onmessage = (ev) => {
      let m;
      try {
        m = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      this.retries = 0;
      if (this.endedBy(m)) this.ended = true;
      this.onMessage(m);
    };
    ws.onclose = (ev) => {
      if (this.closed) return;
      if (ev.code === 4404) {
        this.onGone(ev.reason || `no ${this.what}`);
        return;
      }
      if (!this.ended && this.retries < 8) {
        this.retries++;
        setTimeout(() => !this.closed && this.connect(), Math.min(4000, 250 * 2 ** this.retries));
      }
    };
  }

  send(obj) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(obj));
      return true;
    }
    return false;
  }

  close() {
    this.closed = true;
    const ws = this.ws;
    if (!ws) return;
    // closing a socket that is still connecting makes Chromium log an error: wait for it to open first
    if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(1000, 'viewer left');
    else ws.close(1000, 'viewer left');
  }
}

const LIVE = ['queued', 'running'];

/** A run's socket: it has ended once a snapshot or status says so. */
export const runSocket = (id, onMessage, onGone) => new LiveSocket(`/ws/runs/${encodeURIComponent(id)}`, `run ${id}`,
  onMessage, onGone, (m) => (m.type === 'status' && !LIVE.includes(m.status))
    || (m.type === 'snapshot' && m.run && !LIVE.includes(m.run.status)));

/** The lists' feed: {type: 'runs'|'sweeps'} when that list changed anywhere (another tab, a run ending). */
export const listFeed = (onMessage) => new LiveSocket('/ws/list', 'list feed', onMessage, () => {});

/** A sweep's socket: a snapshot first, then 'point' (replace by index), 'summary' and 'deleted'. */
export const sweepSocket = (id, onMessage, onGone) =>
  new LiveSocket(`/ws/sweeps/${encodeURIComponent(id)}`, `sweep ${id}`, onMessage, onGone);
