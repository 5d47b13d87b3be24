// report/csv: a small RFC 4180 parser for the tidy CSV files potsim writes (header row, comma
// separated, optional double-quoted fields with "" escapes, LF or CRLF line ends).
// May import: nothing.

export interface CsvTable {
  columns: string[];
  /** One record per data row, keyed by header name; missing trailing cells read as "". */
  rows: Record<string, string>[];
}

/** Splits CSV text into records of raw string fields. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  // blank lines carry no data
  return records.filter((r) => !(r.length === 1 && r[0] === ""));
}

/** Parses CSV text with a header row into keyed records. */
export function parseCsv(text: string): CsvTable {
  const [header, ...body] = parseCsvRecords(text);
  const columns = header ?? [];
  const rows = body.map((r) => {
    const row: Record<string, string> = {};
    columns.forEach((col, j) => {
      row[col] = r[j] ?? "";
    });
    return row;
  });
  return { columns, rows };
}
