const LF = 10;
const CR = 13;

/**
 * Where the last complete record in `buf[start, end)` ends: just after its line end, or `start`
 * when no record is complete. `start` must be a record start. Used to cut a CSV file into chunks
 * of whole records that independent parsers can read.
 *
 * Follows the grammar of the CSV parser exactly, so a cut never lands where the parser would be
 * inside a record: a quote opens a quoted field only at a field start, `""` inside one is an
 * escape, a line end inside quotes is data, and text after a closing quote runs to the next
 * delimiter or line end. A lone CR ends a record, as in the parser; CR LF is one line end, so
 * a cut never falls between them.
 */
export function lastRecordEnd(buf: Buffer, start: number, end: number, delimiter: number, quote: number): number {
  // Files without quotes (most machine-written CSV) need no grammar: the last LF is the cut.
  const view = buf.subarray(start, end);
  if (view.indexOf(quote) === -1) {
    const lf = view.lastIndexOf(LF);
    // A CR after the last LF is a lone CR (old Mac line end), unless it is the last byte: an
    // LF may follow in the next read. Only the bytes after the last LF need a look.
    const tail = view.subarray(lf + 1);
    let cr = tail.lastIndexOf(CR);
    if (cr === tail.length - 1) cr = cr > 0 ? tail.lastIndexOf(CR, cr - 1) : -1;
    const lineEnd = cr >= 0 ? lf + 1 + cr : lf;
    return lineEnd === -1 ? start : start + lineEnd + 1;
  }
  let boundary = start;
  let p = start;
  while (p < end) {
    // p is at a field start.
    if (buf[p] === quote) {
      p++;
      for (;;) {
        if (p >= end) return boundary; // the input ends inside quotes
        if (buf[p] !== quote) {
          p++;
          continue;
        }
        // Whether this quote closes the field or escapes one depends on the next byte.
        if (p + 1 >= end) return boundary;
        if (buf[p + 1] === quote) {
          p += 2;
          continue;
        }
        p++;
        break;
      }
    }
    // The rest of the field: unquoted text, or text after a closing quote.
    while (p < end) {
      const c = buf[p]!;
      p++;
      if (c === delimiter) break;
      if (c === LF) {
        boundary = p;
        break;
      }
      if (c === CR) {
        if (p < end && buf[p] !== LF) boundary = p;
        break;
      }
    }
  }
  return boundary;
}
