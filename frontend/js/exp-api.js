// REST and WebSocket client for experiments: sweeps (POST/GET /api/sweeps, stop, delete, test, export,
// /ws/sweeps/{id}), the LR finder's curve and the smoothing-vs-L2 experiment (backend/API.md "Sweeps").

import { LiveSocket, request } from './api.js';

const sweep = (id) => `/api/sweeps/${encodeURIComponent(id)}`;

export const expApi = {
  sweeps: () => request('GET', '/api/sweeps'),
  sweep: (id) => request('GET', sweep(id)),
  createSweep: (definition) => request('POST', '/api/sweeps', definition),
  stopSweep: (id) => request('POST', `${sweep(id)}/stop`),
  deleteSweep: (id) => request('DELETE', sweep(id)),
  testSweep: (id) => request('POST', `${sweep(id)}/test`),
  sweepExportUrl: (id, format) => `${sweep(id)}/export?format=${format}`,
  finder: (runId) => request('GET', `/api/runs/${encodeURIComponent(runId)}/lr-finder`),
  smoothingL2: ({ dataset, context, steps, points }) =>
    request('GET', `/api/experiments/smoothing-l2?dataset=${encodeURIComponent(dataset)}&context=${context}&steps=${steps}&points=${points}`),
};

/** A sweep's socket: a snapshot first, then 'point' (replace by index), 'summary' and 'deleted'. */
export const sweepSocket = (id, onMessage, onGone) =>
  new LiveSocket(`/ws/sweeps/${encodeURIComponent(id)}`, `sweep ${id}`, onMessage, onGone);
