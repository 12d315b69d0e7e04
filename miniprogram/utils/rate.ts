// Fee rates travel as integer parts per million (6000 = 0.6%) so that no rate
// is ever a float; this turns one into the percentage people read.

/** 6000 -> "0.6%", 3800 -> "0.38%", 10000 -> "1%", 0 -> "0%". */
export function formatPpm(ppm: number): string {
  if (!Number.isSafeInteger(ppm) || ppm < 0) throw new RangeError(`not a rate in ppm: ${ppm}`);
  const digits = String(ppm).padStart(5, '0');
  const whole = digits.slice(0, -4);
  const fraction = digits.slice(-4).replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}
