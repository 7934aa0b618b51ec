// CSV as spreadsheets read it (RFC 4180): fields with a comma, a quote or a line break are quoted,
// quotes doubled, lines end in CRLF. Text that a spreadsheet would run as a formula (=, +, -, @, a tab
// or a carriage return first: a learner's display name is theirs to choose) is prefixed with a quote.

/** One cell: text, a number, or empty. */
export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, escaped. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: a header line, then one line per row. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
