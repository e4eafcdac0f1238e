// Lecture 3's imshow of |h| > 0.99 for one tanh layer: a row per measured batch row, a column per unit, white where
// the unit is saturated (its gradient nearly 0), black elsewhere. A column white from top to bottom is a dead unit.

/** The image's bits as booleans, row-major (bit row * units + unit, lowest bit first in each byte). */
export function decodeBits(image) {
  const raw = atob(image.bits || '');
  const out = new Uint8Array(image.rows * image.units);
  for (let i = 0; i < out.length; i++) out[i] = (raw.charCodeAt(i >> 3) >> (i & 7)) & 1;
  return out;
}

/** Draws `image` into `canvas` at one canvas pixel per cell; CSS scales it up without smoothing. */
export function drawSaturation(canvas, image) {
  const bits = decodeBits(image);
  canvas.width = image.units;
  canvas.height = image.rows;
  const ctx = canvas.getContext('2d');
  const px = ctx.createImageData(image.units, image.rows);
  for (let i = 0; i < bits.length; i++) {
    const v = bits[i] ? 255 : 0;
    px.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(px, 0, 0);
  canvas.dataset.cells = String(bits.reduce((a, b) => a + b, 0));
}
