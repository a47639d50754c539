/**
 * Reading register (台账) files: CSV (UTF-8 with or without BOM, or GB18030/GBK as Excel in China
 * saves it; RFC 4180 quoting) and XLSX (the first worksheet). The result is the header and the data
 * rows as text, one entry per row as the user sees it in Excel: `rows[i]` is spreadsheet row
 * `i + 2` (the header is row 1). Empty rows in the middle stay (as empty arrays) so the numbering
 * holds; empty rows at the end are dropped. Cells are text exactly as shown, converted later
 * against the form (register-import.ts).
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { CellValue } from 'exceljs';
import { UserError } from '@gridflow/engine';
import type { LocalizedText } from '@gridflow/engine';

/** At most this many data rows (the header not counted). */
export const maxRegisterRows = 50_000;
/** At most this many bytes. */
export const maxRegisterBytes = 20 * 1024 * 1024;

/** A problem of a single cell found while reading (spreadsheet row and 0-based column index). */
export interface CellNote {
  row: number;
  column: number;
  message: LocalizedText;
}

/** A register file as text. */
export interface RegisterFile {
  header: string[];
  /** Data rows; `rows[i]` is spreadsheet row `i + 2`. */
  rows: string[][];
  /** Cells whose text could not be read faithfully (e.g. long numbers Excel stored as numbers). */
  notes?: CellNote[];
}

const fail = (code: string, zh: string, en: string, status = 400): never => {
  throw new UserError(`register.${code}`, { 'zh-CN': zh, en }, { status });
};
const tooManyRows = (): never =>
  fail('tooManyRows', `文件超过 ${maxRegisterRows} 行数据，请拆分后分批导入`, `The file has more than ${maxRegisterRows} data rows: split it and import the parts separately`, 413);

const isBlank = (row: readonly string[]) => row.every((c) => c.trim() === '');

/** Drops empty rows at the end and checks the row limit. */
function finish(all: string[][], notes: CellNote[] = []): RegisterFile {
  let end = all.length;
  while (end > 0 && isBlank(all[end - 1] as string[])) end--;
  if (end === 0) fail('empty', '文件是空的：第 1 行应为列名', 'The file is empty: row 1 must hold the column names');
  const [header = [], ...rows] = all.slice(0, end);
  if (rows.length > maxRegisterRows) tooManyRows();
  return notes.length > 0 ? { header, rows, notes } : { header, rows };
}

// ---------------------------------------------------------------------------------------------
// CSV

const utf8Bom = [0xef, 0xbb, 0xbf];

/** The text of a CSV file: UTF-8 (BOM optional) when it is valid UTF-8, else GB18030 (a superset of GBK and GB2312). */
export function decodeCsv(input: Uint8Array): string {
  const bytes = utf8Bom.every((b, i) => input[i] === b) ? input.subarray(3) : input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The delimiter of the header line: a comma, unless the line has tabs (or semicolons) and no comma. */
function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes('\t')) return '\t';
  if (firstLine.includes(';')) return ';';
  return ',';
}

function readCsv(input: Buffer): RegisterFile {
  const text = decodeCsv(input);
  let count = 0;
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: false,
      // Rows beyond the limit: empty ones are dropped (trailing rows are ignored anyway), any other fails.
      on_record: (record: string[]) => {
        count++;
        if (count <= maxRegisterRows + 1) return record;
        return isBlank(record) ? null : tooManyRows();
      },
    }) as string[][];
  } catch (e) {
    if (e instanceof UserError) throw e;
    const line = (e as { lines?: number }).lines;
    const where = line ? { zh: `（第 ${line} 行附近）`, en: ` (near line ${line})` } : { zh: '', en: '' };
    return fail('badCsv', `CSV 文件格式不正确${where.zh}：${(e as Error).message}`, `The CSV file is malformed${where.en}: ${(e as Error).message}`);
  }
  // A line with nothing on it parses as one empty field.
  return finish(records.map((r) => (r.length === 1 && r[0] === '' ? [] : r)));
}

// ---------------------------------------------------------------------------------------------
// XLSX

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A date cell as ISO text: yyyy-mm-dd, with THH:mm:ss when it has a time of day (no zone: as shown). */
function dateText(d: Date): string {
  // exceljs returns the cell's wall-clock time as if it were UTC.
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const seconds = d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds();
  return seconds === 0 ? date : `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Whole numbers above 15 digits: Excel keeps 15 significant digits, so the rest are lost (ID card numbers typed into number cells). */
const lostDigits = (n: number) => Number.isInteger(n) && Math.abs(n) >= 1e15;

/** A number as shown: zero-padded formats ("000000") keep their leading zeros; no exponent for whole numbers. */
function numberText(n: number, numFmt: string | undefined): string {
  if (numFmt && /^0+$/.test(numFmt) && Number.isInteger(n) && n >= 0) return String(n).padStart(numFmt.length, '0');
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}

function cellText(value: CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, numFmt);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return cellText(value.text as CellValue, numFmt);
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result ?? null, numFmt);
  return '';
}

async function readXlsx(input: Buffer): Promise<RegisterFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(input as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    fail('badXlsx', '无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式', 'The Excel file cannot be read: it is damaged or not an .xlsx file');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return fail('empty', 'Excel 文件中没有工作表', 'The Excel file has no worksheet');
  if (sheet.rowCount > maxRegisterRows + 1) {
    // rowCount counts formatted empty rows too: only rows with values count against the limit.
    let last = 0;
    sheet.eachRow({ includeEmpty: false }, (row, n) => {
      if (row.hasValues) last = n;
    });
    if (last > maxRegisterRows + 1) tooManyRows();
  }
  const all: string[][] = [];
  const notes: CellNote[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber > maxRegisterRows + 1) return;
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const value = cell.value;
      cells[col - 1] = cellText(value, cell.numFmt).trim();
      const n = typeof value === 'number' ? value : typeof value === 'object' && value !== null && 'result' in value && typeof value.result === 'number' ? value.result : undefined;
      if (n !== undefined && lostDigits(n)) {
        notes.push({
          row: rowNumber, column: col - 1,
          message: {
            'zh-CN': '此格在 Excel 中是数字，超过 15 位的数字已丢失末几位（如身份证号）：请把该列设为“文本”格式后重新填写',
            en: 'This cell is a number in Excel, and numbers over 15 digits lose their last digits (e.g. ID card numbers): format the column as Text and enter the values again',
          },
        });
      }
    });
    all[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  return finish(Array.from(all, (r) => r ?? []), notes);
}

// ---------------------------------------------------------------------------------------------

/** Reads a register file (.csv or .xlsx) into its header and data rows as text. Throws UserError when it cannot be read. */
export async function readRegisterFile(input: Buffer, fileName: string): Promise<RegisterFile> {
  if (input.length > maxRegisterBytes) {
    fail('fileTooLarge', `文件超过 ${maxRegisterBytes / 1024 / 1024} MB，请拆分后分批导入`, `The file is larger than ${maxRegisterBytes / 1024 / 1024} MB: split it and import the parts separately`, 413);
  }
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'csv') return readCsv(input);
  if (extension === 'xlsx') return readXlsx(input);
  if (extension === 'xls' || extension === 'et' || extension === 'wps') {
    return fail('unsupportedFile', '不支持旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后导入', 'Old Excel (.xls) files are not supported: save the file as .xlsx or CSV in Excel and import that');
  }
  return fail('unsupportedFile', `不支持的文件类型“${fileName}”：请导入 .xlsx 或 .csv 文件`, `Unsupported file "${fileName}": import an .xlsx or .csv file`);
}
