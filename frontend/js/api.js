// REST calls; every failure becomes an Error carrying the server's {error, field}.
export class ApiError extends Error {
  constructor(message, field, status) { super(message); this.field = field; this.status = status; }
}

async function call(method, path, body, raw) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = raw ? body : JSON.stringify(body);
    if (!raw) init.headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError('the lab server is not reachable', null, 0);
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError((data && data.error) || res.statusText, data && data.field, res.status);
  return data;
}

// Non-finite numbers arrive as strings ("NaN", "Infinity"): make them numbers again.
export const num = v => (typeof v === 'string' ? Number(v) : v);

export const api = {
  datasets: () => call('GET', '/api/datasets'),
  upload: (file) => call('POST', '/api/datasets?name=' + encodeURIComponent(file.name), file, true),
  runs: () => call('GET', '/api/runs'),
  run: id => call('GET', '/api/runs/' + encodeURIComponent(id)),
  create: cfg => call('POST', '/api/runs', cfg),
  stop: id => call('POST', `/api/runs/${encodeURIComponent(id)}/stop`),
  test: id => call('POST', `/api/runs/${encodeURIComponent(id)}/test`),
  probe: (id, word) => call('POST', `/api/runs/${encodeURIComponent(id)}/probe`, { word }),
  ngram: (dataset, context, smoothing) =>
    call('GET', `/api/ngram?dataset=${encodeURIComponent(dataset)}&context=${context}&smoothing=${smoothing}`),
};
