// REST and WebSocket client for experiments: sweeps (POST/GET /api/sweeps, stop, delete, test, export,
// /ws/sweeps/{id}), the LR finder's curve and the smoothing-vs-L2 experiment (backend/API.md "Sweeps").

import { request } from './api.js';

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

/**
 * One WebSocket per open sweep: a snapshot first, then 'point' (replace by index), 'summary' and 'deleted'.
 * Reconnects for a fresh snapshot while the sweep may still change.
 */
export class SweepSocket {
  constructor(id, onMessage, onGone) {
    this.id = id;
    this.onMessage = onMessage;
    this.onGone = onGone;
    this.closed = false;
    this.retries = 0;
    this.connect();
  }

  connect() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/ws/sweeps/${encodeURIComponent(this.id)}`);
    this.ws = ws;
    ws.onmessage = (ev) => {
      let m;
      try {
        m = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      this.retries = 0;
      this.onMessage(m);
    };
    ws.onclose = (ev) => {
      if (this.closed) return;
      if (ev.code === 4404) {
        this.onGone(ev.reason || `no sweep ${this.id}`);
        return;
      }
      if (this.retries < 8) {
        this.retries++;
        setTimeout(() => !this.closed && this.connect(), Math.min(4000, 250 * 2 ** this.retries));
      }
    };
  }

  close() {
    this.closed = true;
    const ws = this.ws;
    if (!ws) return;
    if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(1000, 'viewer left');
    else ws.close(1000, 'viewer left');
  }
}
