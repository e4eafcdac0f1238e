// What the next-character explorer does to a distribution on the page, with no round trip: temperature and top-k
// reshape it as the server's sampler would (p^(1/T) renormalised, i.e. softmax(ln p / T)), and a draw from it.

/**
 * The distribution shown for `p` at temperature `t`, keeping only the `k` likeliest (k <= 0: all of them).
 * Computed from ln p less its largest value, so a low temperature neither overflows nor turns every entry to 0.
 */
export function reshape(p, t, k) {
  const n = p.length;
  let keep = null;
  if (k > 0 && k < n) {
    // ties keep the earlier character: the same k characters every time
    const order = p.map((x, i) => i).sort((a, b) => p[b] - p[a] || a - b);
    keep = new Set(order.slice(0, k));
  }
  const logs = p.map((x, i) => (x > 0 && (!keep || keep.has(i)) ? Math.log(x) / t : -Infinity));
  const max = Math.max(...logs);
  if (max === -Infinity) return p.map(() => 0);
  const q = logs.map((l) => Math.exp(l - max));
  const total = q.reduce((a, b) => a + b, 0);
  return q.map((x) => x / total);
}

/** An index drawn with probability q[i]; `u` a uniform number in [0, 1). */
export function draw(q, u = Math.random()) {
  let acc = 0;
  let last = -1;
  for (let i = 0; i < q.length; i++) {
    if (q[i] <= 0) continue;
    last = i;
    acc += q[i];
    if (u < acc) return i;
  }
  return last; // rounding left u just above the sum
}

/**
 * The temperature slider's scale: T = e^(s / 20) for whole s, so T = 1 sits exactly on a step (s = 0) and each
 * key press changes T by about 5 %, at any temperature.
 */
export const STEP = 0.05;
export const tempOf = (s) => (Number(s) === 0 ? 1 : Math.exp(Number(s) * STEP));
export const sliderBounds = (range) => ({
  min: Math.ceil((Math.log(range.min) + (range.minOpen ? 1e-9 : 0)) / STEP),
  max: Math.floor(Math.log(range.max) / STEP),
});
