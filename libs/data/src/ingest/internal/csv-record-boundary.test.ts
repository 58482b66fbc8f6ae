import { describe, expect, it } from 'vitest';
import { createCsvParser } from './csv-parser';
import { lastRecordEnd } from './csv-record-boundary';

const COMMA = 44;
const QUOTE = 34;
const cut = (text: string) => lastRecordEnd(Buffer.from(text, 'latin1'), 0, text.length, COMMA, QUOTE);

/**
 * Each row the CSV parser finds in `text`, as its raw text and field count: a parser with zero
 * columns reports every row as a bad row, which carries both.
 */
function rowsOf(text: string): string[] {
  const parser = createCsvParser({
    path: 'test.csv',
    delimiter: COMMA,
    quote: QUOTE,
    hasHeader: false,
    batchSize: 64,
    inferRows: 1,
    limit: Number.POSITIVE_INFINITY,
    missingValues: [],
  });
  parser.startTyped([], []);
  parser.scan(Buffer.from(text, 'latin1'), 0, text.length, true);
  return parser.takeBadRows().map((row) => `${JSON.stringify(row.raw)} ${row.reason}`);
}

describe('lastRecordEnd', () => {
  it('cuts after the last line feed when there are no quotes', () => {
    expect(cut('a,b\n1,2\n3,')).toBe(8);
    expect(cut('a,b\n1,2\n')).toBe(8);
    expect(cut('a,b')).toBe(0);
  });

  it('never cuts at a line end inside quotes, escaped quotes included', () => {
    expect(cut('1,"x\ny"\n2,"p\nq')).toBe(8);
    expect(cut('1,"say ""hi""\nthere"\n2')).toBe(21);
    expect(cut('"a\n""\n"')).toBe(0);
  });

  it('does not cut while a quote at the end could still be an escape', () => {
    expect(cut('1,"a"\n2,"b"')).toBe(6);
    expect(cut('1,"a""')).toBe(0);
  });

  it('treats a quote inside an unquoted field or after a closing quote as text, as the parser does', () => {
    expect(cut('5 "inch,x\n6,y\n')).toBe(14);
    expect(cut('"a"b"c,x\nnext')).toBe(9);
  });

  it('keeps CR LF together and cuts after a lone CR', () => {
    expect(cut('a,b\r\n1,2\r\n3')).toBe(10);
    expect(cut('a,b\r\n1,2\r')).toBe(5);
    expect(cut('a,b\r1,2\r3')).toBe(8);
    expect(cut('a,b\r1,2\r')).toBe(4);
    expect(cut('a,"b"\r1,2\r3')).toBe(10);
  });

  it.each([
    ['with quotes', 'id,"na,me"\r\n1,"multi\nline"\n2,"q""uote"\r\n\n3,x"y\r4,"a"b,"c\r\n5,"open\n'],
    ['without quotes', 'a,b\r\n1,2\r3,4\n\n5\r6,7\r\n8,9'],
  ])('cuts every prefix of a file %s where parsing the two parts apart reads the same rows', (_name, text) => {
    const whole = rowsOf(text);
    for (let end = 0; end <= text.length; end++) {
      const at = lastRecordEnd(Buffer.from(text, 'latin1'), 0, end, COMMA, QUOTE);
      expect(at, `prefix of ${end} bytes`).toBeLessThanOrEqual(end);
      expect([...rowsOf(text.slice(0, at)), ...rowsOf(text.slice(at))], `prefix of ${end} bytes`).toEqual(whole);
    }
  });
});
