// The open run: one WebSocket for the run the route names, its record (store.run, which only this module writes)
// kept current from the stream and announced as 'run' (at most once a frame). Control goes to the server (stop,
// learning rate), so any tab, also after a reload, can steer any run that trains.

import { runSocket, listFeed } from './api.js';
import { bus, store, setOpenRun, TERMINAL } from './state.js';
import { num, frameThrottle } from './util.js';

// every tab keeps its run and sweep lists current: the server says when either changed, the list panels reload
listFeed((m) => {
  if (m.type === 'runs') bus.emit('runs:refresh');
  if (m.type === 'runs' || m.type === 'sweeps') bus.emit('sweeps:refresh'); // a sweep's counts follow its runs
});

let socket = null;
let openId = null;
let wall = []; // [ms, step] as progress arrives: the wall-clock rate, evaluations included

export function normalizeRun(r) {
  r.progress = (r.progress || []).map((p) => ({ step: p.step, trainLoss: num(p.trainLoss), lr: num(p.lr), penalty: num(p.penalty) }));
  r.evals = (r.evals || []).map((e) => ({ step: e.step, split: e.split, loss: num(e.loss) }));
  r.lrChanges = (r.lrChanges || []).map((c) => ({ step: c.step, lr: num(c.lr) }));
  r.bestDev = num(r.bestDev);
  return r;
}

const announce = frameThrottle(() => bus.emit('run', store.run));

function open(id) {
  if (id === openId) return;
  if (socket) socket.close();
  socket = null;
  openId = id;
  setOpenRun(null);
  wall = [];
  bus.emit('run', null);
  if (!id) return;
  socket = runSocket(id, onMessage, (why) => {
    bus.emit('error', `Cannot open run ${id}: ${why}`);
    openId = null;
  });
}

function onMessage(m) {
  const r = store.run;
  switch (m.type) {
    case 'snapshot':
      setOpenRun(normalizeRun(m.run));
      break;
    case 'progress':
      if (!r) return;
      for (const p of m.points) r.progress.push({ step: p.step, trainLoss: num(p.trainLoss), lr: num(p.lr), penalty: num(p.penalty) });
      r.step = Math.max(r.step, m.step);
      r.stepsPerSec = num(m.stepsPerSec);
      wall.push([performance.now(), r.step]);
      break;
    case 'eval': {
      if (!r) return;
      const loss = num(m.loss);
      r.evals.push({ step: m.step, split: m.split, loss });
      if (m.split === 'dev' && Number.isFinite(loss) && (r.bestDev == null || loss < r.bestDev)) r.bestDev = loss;
      r.step = Math.max(r.step, m.step);
      break;
    }
    case 'samples':
      if (r) r.samples = { step: m.step, names: m.names };
      break;
    case 'embedding':
      if (r) r.embedding = { step: m.step, points: m.points };
      break;
    case 'health': {
      // layer health (panels/health.js): the record keeps the series without histograms, the latest in full
      if (!r) return;
      const { type, histograms, ...point } = m;
      r.health = r.health || { series: [], latest: null };
      r.health.series.push(point);
      r.health.latest = m;
      break;
    }
    case 'names': {
      // the hardest and easiest dev names at an evaluation (panels/dev-names.js)
      if (!r) return;
      const { type, ...entry } = m;
      r.devNames = r.devNames || [];
      r.devNames.push(entry);
      break;
    }
    case 'lr':
      if (r) r.lrChanges.push({ step: m.step, lr: num(m.lr) });
      break;
    case 'status':
      if (!r) return;
      r.status = m.status;
      r.message = m.message;
      r.step = Math.max(r.step, m.step || 0);
      bus.emit('runs:refresh');
      break;
    case 'error':
      bus.emit('error', m.error);
      return;
    default:
      return;
  }
  announce();
}

/**
 * Seconds left, from the wall-clock rate seen since the page opened the run (so evaluation and sampling time
 * count), once it has watched a few seconds; null before.
 */
export function eta(r) {
  if (!r || r.status !== 'running' || wall.length < 2) return null;
  const [t0, s0] = wall[0];
  const [t1, s1] = wall[wall.length - 1];
  if (t1 - t0 < 2000 || s1 <= s0) return null;
  const perStep = (t1 - t0) / 1000 / (s1 - s0);
  return Math.max(0, (r.config.steps || 0) - r.step) * perStep;
}

/** Changes a live field (the learning rate) of the open run from its next step. */
export function steer(name, value) {
  return socket ? socket.send({ type: 'set', [name]: value }) : false;
}

export function isLive(r) {
  return !!r && !TERMINAL.includes(r.status);
}

bus.on('route', (route) => open(route.name === 'run' ? route.id : null));
// what another panel had the server store (a name, a note, the test score) belongs in the open run's record too
bus.on('run:stored', ({ id, ...fields }) => {
  if (store.run && store.run.id === id) {
    Object.assign(store.run, fields);
    announce();
  }
});
