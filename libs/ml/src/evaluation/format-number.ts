/**
 * Numbers for reason sentences: short (6 significant digits) unless that would print two different
 * numbers of one sentence alike, e.g. a value of 0.8499999 against a bound of 0.85, where
 * "0.85 is below 0.85" would hide why the check failed.
 */
export function formatDistinct(values: readonly number[]): string[] {
  for (let precision = 6; precision < 17; precision++) {
    const texts = values.map((v) => formatWithPrecision(v, precision));
    const ambiguous = values.some((a, i) => values.some((b, j) => differ(a, b) && texts[i] === texts[j]));
    if (!ambiguous) return texts;
  }
  return values.map((v) => formatWithPrecision(v, 17));
}

export function formatNumber(value: number): string {
  return formatDistinct([value])[0] as string;
}

/** With an explicit sign, for changes: `+0.02`, `-0.013`. */
export function formatSigned(text: string): string {
  return text.startsWith('-') || text.startsWith('+') ? text : `+${text}`;
}

function formatWithPrecision(value: number, precision: number): string {
  if (value === Infinity) return '+∞';
  if (value === -Infinity) return '-∞';
  if (Number.isNaN(value)) return 'NaN';
  return String(Number(value.toPrecision(precision)));
}

/** Different numbers that must print differently (NaN is like itself; 0 and -0 may print alike). */
function differ(a: number, b: number): boolean {
  return a !== b && !(Number.isNaN(a) && Number.isNaN(b));
}
