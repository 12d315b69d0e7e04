// @ts-check
// Smaller PNGs: a screenshot is mostly flat colours, so it is re-encoded
// with a palette of at most 256 colours (lossy like pngquant, without
// dithering; the flat colours stay exact), at zlib's highest level: about
// half the size of Chromium's own PNG. Also reads a PNG's size (for the tests).

const zlib = require('node:zlib');

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** @param {Buffer} buf */
function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Width, height, bit depth, colour type of a PNG.
 * @param {Buffer} png
 */
function pngInfo(png) {
  if (!png.subarray(0, 8).equals(SIGNATURE) || png.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), depth: png[24], colorType: png[25] };
}

/** @param {number} a @param {number} b @param {number} c */
function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes an 8-bit, non-interlaced RGB or RGBA PNG into RGBA pixels.
 * @param {Buffer} png
 */
function decode(png) {
  const info = pngInfo(png);
  if (info.depth !== 8 || (info.colorType !== 6 && info.colorType !== 2) || png[28] !== 0)
    throw new Error(`unsupported PNG (depth ${info.depth}, colour type ${info.colorType})`);
  const idat = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const bpp = info.colorType === 6 ? 4 : 3;
  const stride = info.width * bpp;
  const rgba = Buffer.alloc(info.width * info.height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < info.height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) add = paeth(a, b, c);
      line[i] = (line[i] + add) & 0xff;
    }
    for (let x = 0; x < info.width; x++) {
      rgba[(y * info.width + x) * 4] = line[x * bpp];
      rgba[(y * info.width + x) * 4 + 1] = line[x * bpp + 1];
      rgba[(y * info.width + x) * 4 + 2] = line[x * bpp + 2];
      rgba[(y * info.width + x) * 4 + 3] = bpp === 4 ? line[x * bpp + 3] : 255;
    }
    prev = line;
  }
  return { width: info.width, height: info.height, rgba };
}

/**
 * Rows filtered with the filter of the least absolute sum (the usual heuristic); palette images unfiltered.
 * @param {Buffer} data samples, `stride` bytes a row
 * @param {number} height @param {number} stride @param {number} bpp
 */
function filterRows(data, height, stride, bpp) {
  const out = Buffer.alloc(height * (stride + 1));
  const candidates = [0, 1, 2, 3, 4].map(() => Buffer.alloc(stride));
  const zero = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const line = data.subarray(y * stride, (y + 1) * stride);
    if (bpp === 1) {
      line.copy(out, y * (stride + 1) + 1);
      continue;
    }
    const prev = y > 0 ? data.subarray((y - 1) * stride, y * stride) : zero;
    const [none, sub, up, avg, pth] = candidates;
    const sums = [0, 0, 0, 0, 0];
    for (let i = 0; i < stride; i++) {
      const x = line[i];
      const a = i >= bpp ? line[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      const p = a + b - c;
      const pa = p > a ? p - a : a - p;
      const pb = p > b ? p - b : b - p;
      const pc = p > c ? p - c : c - p;
      const v1 = (x - a) & 0xff;
      const v2 = (x - b) & 0xff;
      const v3 = (x - ((a + b) >> 1)) & 0xff;
      const v4 = (x - (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      none[i] = x;
      sub[i] = v1;
      up[i] = v2;
      avg[i] = v3;
      pth[i] = v4;
      sums[0] += x < 128 ? x : 256 - x;
      sums[1] += v1 < 128 ? v1 : 256 - v1;
      sums[2] += v2 < 128 ? v2 : 256 - v2;
      sums[3] += v3 < 128 ? v3 : 256 - v3;
      sums[4] += v4 < 128 ? v4 : 256 - v4;
    }
    let best = 0;
    for (let f = 1; f < 5; f++) if (sums[f] < sums[best]) best = f;
    out[y * (stride + 1)] = best;
    candidates[best].copy(out, y * (stride + 1) + 1);
  }
  return out;
}

/**
 * @param {number} width @param {number} height @param {number} colorType
 * @param {Buffer} data @param {number} bpp @param {Buffer[]} extra chunks before IDAT
 */
function encode(width, height, colorType, data, bpp, extra = []) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  const idat = zlib.deflateSync(filterRows(data, height, width * bpp, bpp), { level: 9, memLevel: 9 });
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), ...extra, chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * Up to 256 colours for the image's colours (median cut, each box split on
 * its longest side at the weighted median, the box with the largest squared
 * error first). Each palette entry is the most frequent colour of its box, so
 * the flat colours of the UI (backgrounds, brand blue, text) stay exact and
 * only anti-aliasing shades move to a neighbour.
 * @param {Map<number, number>} histogram rgb24 -> pixel count
 * @returns {number[]} rgb24 colours
 */
function medianCut(histogram) {
  const colours = [...histogram].map(([rgb, count]) => ({
    rgb,
    c: [rgb >>> 16, (rgb >>> 8) & 0xff, rgb & 0xff],
    count,
  }));
  /** @param {typeof colours} list */
  const box = (list) => {
    let n = 0;
    const sum = [0, 0, 0];
    const sq = [0, 0, 0];
    const lo = [255, 255, 255];
    const hi = [0, 0, 0];
    for (const { c, count } of list) {
      n += count;
      for (let k = 0; k < 3; k++) {
        sum[k] += c[k] * count;
        sq[k] += c[k] * c[k] * count;
        if (c[k] < lo[k]) lo[k] = c[k];
        if (c[k] > hi[k]) hi[k] = c[k];
      }
    }
    const error = sq.reduce((e, s, k) => e + s - (sum[k] * sum[k]) / n, 0);
    const axis = [0, 1, 2].reduce((best, k) => (hi[k] - lo[k] > hi[best] - lo[best] ? k : best), 0);
    return { list, n, error: list.length > 1 ? error : -1, axis };
  };
  const boxes = [box(colours)];
  while (boxes.length < 256) {
    let at = 0;
    for (let i = 1; i < boxes.length; i++) if (boxes[i].error > boxes[at].error) at = i;
    const target = boxes[at];
    if (target.error <= 0) break;
    const { axis } = target;
    const list = target.list.slice().sort((x, y) => x.c[axis] - y.c[axis]);
    let half = 0;
    let cut = 1;
    for (let i = 0; i < list.length - 1; i++) {
      half += list[i].count;
      cut = i + 1;
      if (half * 2 >= target.n) break;
    }
    boxes.splice(at, 1, box(list.slice(0, cut)), box(list.slice(cut)));
  }
  return boxes.map((b) => b.list.reduce((best, c) => (c.count > best.count ? c : best)).rgb);
}

/**
 * Re-encodes a screenshot as a palette PNG of at most 256 colours (lossy
 * like pngquant, without dithering): a UI screenshot is mostly flat colours,
 * and this makes it a third of the size. Opaque images only; others are
 * returned as they are.
 * @param {Buffer} png
 */
function optimisePng(png) {
  const { width, height, rgba } = decode(png);
  const pixels = width * height;
  const histogram = new Map();
  for (let p = 0; p < pixels; p++) {
    if (rgba[p * 4 + 3] !== 255) return png;
    const rgb = rgba.readUIntBE(p * 4, 3);
    histogram.set(rgb, (histogram.get(rgb) ?? 0) + 1);
  }
  const palette = histogram.size <= 256 ? [...histogram.keys()] : medianCut(histogram);
  const pal = palette.map((rgb) => [rgb >>> 16, (rgb >>> 8) & 0xff, rgb & 0xff]);
  /** @type {Map<number, number>} */
  const index = new Map();
  for (const rgb of histogram.keys()) {
    const r = rgb >>> 16;
    const g = (rgb >>> 8) & 0xff;
    const b = rgb & 0xff;
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let i = 0; i < pal.length; i++) {
      const dr = r - pal[i][0];
      const dg = g - pal[i][1];
      const db = b - pal[i][2];
      const distance = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    }
    index.set(rgb, best);
  }
  const indices = Buffer.alloc(pixels);
  for (let p = 0; p < pixels; p++) indices[p] = index.get(rgba.readUIntBE(p * 4, 3)) ?? 0;
  const plte = Buffer.alloc(pal.length * 3);
  for (const [i, c] of pal.entries()) plte.set(c, i * 3);
  const out = encode(width, height, 3, indices, 1, [chunk('PLTE', plte)]);
  return out.length < png.length ? out : png;
}

module.exports = { optimisePng, pngInfo };
