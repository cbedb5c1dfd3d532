/**
 * Parses the vendor's reference page (the flattened text in shared/seed/) into its tables,
 * examples and status codes. Tables are flattened: a header row (one cell per line, each
 * ending in `|`), a `---|---|…` line, then the cells of each row, one per line. A row whose
 * type cell is missing carries its description where the type would be, followed by an empty
 * `|` cell (or nothing, when it is the table's last row).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the page lives: `shared/` is checked out beside the repository. */
export const defaultVendorPagePath: string = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../shared/seed/000_dc29432dfe70a430.txt',
);

/** The page to read: `VENDOR_PAGE` when set, else the copy in `shared/` beside the repository. */
export function vendorPagePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.VENDOR_PAGE || defaultVendorPagePath;
}

export interface VendorRow {
  name: string;
  /** The 是否必选 cell: true for 是, false for 否; undefined in tables without that column. */
  required: boolean | undefined;
  /** The 参数类型 cell (String, Integer, Boolean, Object, …); undefined when the page has none. */
  type: string | undefined;
  description: string;
  /** 1-based line of the row's first cell. */
  line: number;
}

export type VendorColumn = 'name' | 'required' | 'type' | 'description' | 'code';

export interface VendorTable {
  columns: VendorColumn[];
  rows: VendorRow[];
  /** 1-based line of the header's first cell. */
  line: number;
}

export interface VendorStatusCode {
  code: number;
  /** Empty when the page gives none (its last row, 504, has no description). */
  description: string;
}

export interface VendorPage {
  method: string;
  path: string;
  /** In page order: path parameters, query parameters, headers, then the body tables. */
  requestTables: VendorTable[];
  /** By status (200, 201): the response body tables in page order. */
  responseTables: Record<number, VendorTable[]>;
  statusCodes: VendorStatusCode[];
  requestExample: unknown;
  /** By status: the response example bodies. */
  responseExamples: Record<number, unknown>;
}

/** One-line error naming the line of the page that could not be read. */
export class VendorPageError extends Error {
  override name = 'VendorPageError';
}

/** Type cells the page uses (and a few it could use); anything else in that slot is a description. */
const typeWords = new Set(['String', 'Integer', 'Long', 'Boolean', 'Object', 'Number', 'Float', 'Double', 'Array']);

const headerWords: Record<string, VendorColumn> = {
  参数: 'name',
  是否必选: 'required',
  参数类型: 'type',
  描述: 'description',
  状态码: 'code',
};

export async function readVendorPage(path: string = vendorPagePath()): Promise<VendorPage> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new VendorPageError(`cannot read the vendor page ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseVendorPage(text);
}

type Section = 'preamble' | 'request' | 'response' | 'request-example' | 'response-example' | 'status-codes';

export function parseVendorPage(text: string): VendorPage {
  const lines = text.split(/\r?\n/);
  const tableStarts = findTableStarts(lines);

  const page: VendorPage = {
    method: '',
    path: '',
    requestTables: [],
    responseTables: {},
    statusCodes: [],
    requestExample: undefined,
    responseExamples: {},
  };
  let section: Section = 'preamble';
  let status: number | undefined;

  let index = 0;
  while (index < lines.length) {
    const columnCount = tableStarts.get(index);
    if (columnCount !== undefined) {
      const { table, end } = readTable(lines, index, columnCount, tableStarts);
      placeTable(page, table, section, status);
      index = end;
      continue;
    }
    const line = (lines[index] ?? '').trim();
    const statusMarker = /^状态码\s*[:：]\s*(\d{3})$/.exec(line);
    if (line === 'URI') {
      const [method, path] = (lines[index + 1] ?? '').trim().split(/\s+/);
      page.method = method ?? '';
      page.path = path ?? '';
      section = 'request';
      index += 2;
      continue;
    } else if (line === '请求参数') {
      section = 'request';
    } else if (line === '响应参数') {
      section = 'response';
    } else if (line === '请求示例') {
      section = 'request-example';
    } else if (line === '响应示例') {
      section = 'response-example';
    } else if (line === '状态码') {
      section = 'status-codes';
    } else if (statusMarker !== null) {
      status = Number(statusMarker[1]);
    } else if (line === '{' && (section === 'request-example' || section === 'response-example')) {
      const { value, end } = readJsonBlock(lines, index);
      if (section === 'request-example') {
        page.requestExample = value;
      } else {
        if (status === undefined) throw new VendorPageError(`line ${index + 1}: a response example with no status before it`);
        page.responseExamples[status] = value;
      }
      index = end;
      continue;
    }
    index += 1;
  }
  if (page.method === '' || page.path === '') throw new VendorPageError('the page has no "URI" line followed by the method and path');
  return page;
}

/** Line index of each table's first header cell → its number of columns. */
function findTableStarts(lines: string[]): Map<number, number> {
  const starts = new Map<number, number>();
  lines.forEach((line, index) => {
    const separator = /^(?:-{3,}\|)+$/.exec(line.trim());
    if (separator === null) return;
    const columnCount = line.trim().split('|').length - 1;
    const start = index - columnCount;
    if (start < 0) throw new VendorPageError(`line ${index + 1}: a table separator with no header above it`);
    starts.set(start, columnCount);
  });
  return starts;
}

function readTable(
  lines: string[],
  start: number,
  columnCount: number,
  tableStarts: Map<number, number>,
): { table: VendorTable; end: number } {
  const columns = lines.slice(start, start + columnCount).map((line, offset) => {
    const cell = cellText(line);
    const column = cell === undefined ? undefined : headerWords[cell];
    if (column === undefined) {
      throw new VendorPageError(`line ${start + offset + 1}: unknown table header cell ${JSON.stringify(line.trim())}`);
    }
    return column;
  });

  // The body: cell lines after the separator, up to the next table or the first non-cell line.
  const cells: Array<{ text: string; line: number }> = [];
  let end = start + columnCount + 1;
  while (end < lines.length && !tableStarts.has(end)) {
    const text = cellText(lines[end] ?? '');
    if (text === undefined) break;
    cells.push({ text, line: end + 1 });
    end += 1;
  }

  const rows: VendorRow[] = [];
  let next = 0;
  while (next < cells.length) {
    const first = cells[next];
    if (first === undefined) break;
    const row: VendorRow = { name: '', required: undefined, type: undefined, description: '', line: first.line };
    let typeMissing = false;
    for (const column of columns) {
      const cell = cells[next];
      if (column === 'name' || column === 'code') {
        if (cell === undefined || cell.text === '') {
          throw new VendorPageError(`line ${cell?.line ?? first.line}: expected a ${column} cell`);
        }
        row.name = cell.text;
        next += 1;
      } else if (column === 'required') {
        if (cell === undefined || (cell.text !== '是' && cell.text !== '否')) {
          throw new VendorPageError(`line ${cell?.line ?? first.line}: expected 是 or 否 for ${row.name}, found ${JSON.stringify(cell?.text)}`);
        }
        row.required = cell.text === '是';
        next += 1;
      } else if (column === 'type') {
        if (cell !== undefined && typeWords.has(cell.text)) {
          row.type = cell.text;
          next += 1;
        } else {
          typeMissing = true;
        }
      } else {
        // description: absent only at the very end of the table (the page's last status code).
        if (cell !== undefined) {
          row.description = cell.text;
          next += 1;
        }
      }
    }
    // A row without a type cell has an empty cell after its description (except when last).
    if (typeMissing && cells[next]?.text === '') next += 1;
    rows.push(row);
  }
  return { table: { columns, rows, line: start + 1 }, end };
}

function placeTable(page: VendorPage, table: VendorTable, section: Section, status: number | undefined): void {
  if (section === 'status-codes') {
    if (!table.columns.includes('code')) throw new VendorPageError(`line ${table.line}: the status code table has no 状态码 column`);
    page.statusCodes = table.rows.map((row) => {
      if (!/^\d{3}$/.test(row.name)) throw new VendorPageError(`line ${row.line}: ${JSON.stringify(row.name)} is not a status code`);
      return { code: Number(row.name), description: row.description };
    });
  } else if (section === 'request') {
    page.requestTables.push(table);
  } else if (section === 'response') {
    if (status === undefined) throw new VendorPageError(`line ${table.line}: a response table with no status code before it`);
    (page.responseTables[status] ??= []).push(table);
  } else {
    throw new VendorPageError(`line ${table.line}: a table outside the request, response and status code sections`);
  }
}

/** From a line `{`, the lines up to the `}` that closes a parsable JSON value. */
function readJsonBlock(lines: string[], start: number): { value: unknown; end: number } {
  let text = '';
  for (let index = start; index < lines.length; index += 1) {
    text += `${lines[index] ?? ''}\n`;
    if ((lines[index] ?? '').trim() === '}') {
      try {
        return { value: JSON.parse(text), end: index + 1 };
      } catch {
        // not the closing brace of the whole value yet
      }
    }
  }
  throw new VendorPageError(`line ${start + 1}: an example that is not valid JSON`);
}

/** The text of a cell line (`text |` or `|`), or undefined when the line is not a cell. */
function cellText(line: string): string | undefined {
  const trimmed = line.trim();
  if (!trimmed.endsWith('|')) return undefined;
  return trimmed.slice(0, -1).trim();
}
