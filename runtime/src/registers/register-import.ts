/**
 * Importing register (台账) files: the columns are matched to the fields of the register's form,
 * each cell is converted to its field's JSON type, and each row is validated by the form's
 * validator like a submission of the start form by the importing user. Every bad row is reported
 * (the first 1,000 problems, with a count of the rest), with the row number the user sees in Excel
 * (the header is row 1) and the column's header text. Records are returned only when the whole
 * file is good: a file with any bad row imports nothing. Pure apart from reading the file.
 */
import { fieldAccess } from '@gridflow/engine';
import type { FormDefinition, FormValidator, LocalizedText } from '@gridflow/engine';
import type { RegisterFile } from './register-file.ts';

export { readRegisterFile, decodeCsv, maxRegisterRows, maxRegisterBytes } from './register-file.ts';
export type { RegisterFile, CellNote } from './register-file.ts';

/** One problem of an import: where it is (as the user sees the file) and what is wrong. */
export interface RowProblem {
  /** 1-based spreadsheet row; the header is row 1. */
  row: number;
  /** The column's header text (the field's title when the file has no column for the field). */
  column?: string;
  /** Key of the form field. */
  field?: string;
  /** The whole message, starting with the place: 第 5 行“身份证号”：… */
  message: LocalizedText;
}

/** How the columns of a file map to form fields. */
export interface ColumnMapping {
  /** The field of each column (by index); undefined for columns not imported. */
  fields: (string | undefined)[];
  /** The column index of each mapped field. */
  columnOf: Record<string, number>;
  /** Required fields without a column. */
  missing: string[];
  /** Problems of the header (row 1). */
  problems: RowProblem[];
}

/** Options of validateRegisterRows. */
export interface RegisterImportOptions {
  /** Roles of the importing user: the form's field rules for the start form apply. */
  roles: readonly string[];
  /** Field(s) whose values identify a record (e.g. the ID card number): a later row with the same values is a problem. */
  uniqueBy?: string | readonly string[];
  /** At most this many problems are returned (default 1,000); `moreProblems` counts the rest. */
  maxProblems?: number;
  /** Further checks of a valid row's values (e.g. the grid is in the importer's scope): problems by field. */
  checkRow?(values: Record<string, unknown>): { field: string; message: LocalizedText }[];
}

/** The outcome of validating a file. */
export interface RegisterImportResult {
  /** The records to import, in file order: empty unless `problems` is empty. */
  records: Record<string, unknown>[];
  /** The spreadsheet row of each record. */
  recordRows: number[];
  problems: RowProblem[];
  /** Problems beyond `maxProblems`, not returned. */
  moreProblems: number;
  /** Data rows with at least one problem. */
  badRows: number;
  /** Non-empty data rows in the file. */
  rowCount: number;
}

const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

/** Spreadsheet column letters of a 0-based index: A … Z, AA … */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Header text as written in templates: trimmed, without required markers (*姓名, 姓名（必填）). */
const headerKey = (text: string) => text.replace(/[\s\u200b\ufeff]+/g, '').replace(/^[*＊]+|[*＊]+$|[（(]必填[)）]$/g, '');

/** A message prefixed with its place in the file: 第 5 行“身份证号”：… */
export const located = (row: number, column: string | undefined, message: LocalizedText): LocalizedText => column === undefined
  ? m(`第 ${row} 行：${message['zh-CN']}`, `Row ${row}: ${message.en}`)
  : m(`第 ${row} 行“${column}”：${message['zh-CN']}`, `Row ${row}, "${column}": ${message.en}`);

const titleOf = (form: FormDefinition, field: string) => String((form.properties[field] as { title?: unknown } | undefined)?.title ?? field);

/**
 * Matches the header to the form's fields, by title (身份证号) or key (idNumber). Unknown and
 * repeated columns and missing required fields are problems of row 1. `required`: the fields
 * that must have a column (default: the schema's `required` list).
 */
export function mapColumns(header: readonly string[], form: FormDefinition, options: { required?: readonly string[] } = {}): ColumnMapping {
  // Titles first: a title is what users see; keys second.
  const byName = new Map<string, string>();
  for (const field of Object.keys(form.properties)) {
    const title = headerKey(titleOf(form, field));
    if (title !== '' && !byName.has(title)) byName.set(title, field);
  }
  for (const field of Object.keys(form.properties)) if (!byName.has(headerKey(field))) byName.set(headerKey(field), field);
  const fields: (string | undefined)[] = header.map(() => undefined);
  const columnOf: Record<string, number> = {};
  const problems: RowProblem[] = [];
  header.forEach((text, i) => {
    const key = headerKey(text);
    if (key === '') return;
    const field = byName.get(key);
    const column = text.trim();
    if (field === undefined) {
      problems.push({ row: 1, column, message: located(1, undefined, m(`不认识的列“${column}”（第 ${columnLetter(i)} 列），表单中没有这个字段`, `Unknown column "${column}" (column ${columnLetter(i)}): the form has no such field`)) });
    } else if (columnOf[field] !== undefined) {
      const first = columnLetter(columnOf[field]);
      problems.push({ row: 1, column, field, message: located(1, undefined, m(`列“${column}”（第 ${columnLetter(i)} 列）与第 ${first} 列重复`, `Column "${column}" (column ${columnLetter(i)}) repeats column ${first}`)) });
    } else {
      fields[i] = field;
      columnOf[field] = i;
    }
  });
  const missing = (options.required ?? form.required ?? []).filter((f) => columnOf[f] === undefined && form.properties[f] !== undefined);
  for (const field of missing) {
    const title = titleOf(form, field);
    problems.push({ row: 1, column: title, field, message: located(1, undefined, m(`缺少必填的列“${title}”`, `The required column "${title}" is missing`)) });
  }
  return { fields, columnOf, missing, problems };
}

// ---------------------------------------------------------------------------------------------
// Cells to JSON values

type Converted = { value: unknown } | { problem: LocalizedText };
type Converter = (text: string) => Converted;

const geoPointRef = 'https://gridflow.dev/schemas/geo-point.json';
const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const trueWords = new Set(['是', 'true', '1', 'y', 'yes', '√']);
const falseWords = new Set(['否', 'false', '0', 'n', 'no', '×']);

/** Cell text without surrounding blanks (also full-width spaces) and without Excel's ="…" text trick. */
function cleanText(text: string): string {
  const t = text.replace(/^[\s\u3000\u200b\ufeff]+|[\s\u3000\u200b\ufeff]+$/g, '');
  const quoted = /^="(.*)"$/.exec(t);
  return quoted ? (quoted[1] as string).trim() : t;
}

/** The canonical stored form of the formats the UI normalises: no blanks, no dashes in mobiles, capitals. */
function canonical(format: unknown, s: string): string {
  switch (format) {
    case 'id-card': case 'grid-code': return s.replace(/\s+/g, '').toUpperCase();
    case 'uscc': return s.replace(/\s+/g, '').toUpperCase();
    case 'mobile': return /^[\d\s-]+$/.test(s) ? s.replace(/[\s-]+/g, '') : s;
    default: return s;
  }
}

/** Dates as Excel in China writes them (2020/1/5, 2020.1.5, 2020年1月5日, 20200105) to ISO yyyy-mm-dd. */
function isoDate(s: string): string {
  const parts = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return parts ? `${parts[1]}-${(parts[2] as string).padStart(2, '0')}-${(parts[3] as string).padStart(2, '0')}` : s;
}

const toNumber = (integer: boolean): Converter => (s) => {
  const plain = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s;
  const n = numberPattern.test(plain) ? Number(plain) : NaN;
  if (!Number.isFinite(n)) return { problem: m(`“${s}”不是数字`, `"${s}" is not a number`) };
  if (integer && !Number.isInteger(n)) return { problem: m(`“${s}”不是整数`, `"${s}" is not a whole number`) };
  return { value: n };
};

const toBoolean: Converter = (s) => {
  const w = s.toLowerCase();
  if (trueWords.has(w)) return { value: true };
  if (falseWords.has(w)) return { value: false };
  return { problem: m(`“${s}”应为“是”或“否”`, `"${s}" must be 是 (yes) or 否 (no)`) };
};

const toPoint: Converter = (s) => {
  const parts = s.split(/\s*[,，]\s*/);
  const coordinates = parts.map((p) => (numberPattern.test(p) ? Number(p) : NaN));
  if ((parts.length === 2 || parts.length === 3) && coordinates.every(Number.isFinite)) return { value: { type: 'Point', coordinates } };
  return { problem: m(`“${s}”不是坐标：应为“经度,纬度”，如 117.0009,36.6758`, `"${s}" is not a position: expected "longitude,latitude", e.g. 117.0009,36.6758`) };
};

const toJson: Converter = (s) => {
  try {
    return { value: JSON.parse(s) as unknown };
  } catch {
    return { problem: m(`“${s}”无法从表格导入：此字段应为 JSON`, `"${s}" cannot be imported from a table: this field takes JSON`) };
  }
};

/** The (first non-null) JSON type of a schema, from `type`, else from `enum`/`const` values. */
function typeOf(schema: Record<string, unknown>): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  const kinds = new Set(values.filter((v) => v !== null).map((v) => typeof v));
  return kinds.size === 1 ? ({ number: 'number', boolean: 'boolean' } as Record<string, string>)[[...kinds][0] as string] ?? 'string' : undefined;
}

const isPoint = (schema: Record<string, unknown>) =>
  schema.$ref === geoPointRef || (schema.type === 'object' && typeof schema.properties === 'object' && schema.properties !== null && 'coordinates' in schema.properties);

/** The converter of a field's cells, from its schema. */
export function cellConverter(schema: Record<string, unknown>): Converter {
  if (isPoint(schema)) return toPoint;
  switch (typeOf(schema)) {
    case 'integer': return toNumber(true);
    case 'number': return toNumber(false);
    case 'boolean': return toBoolean;
    case 'object': return toJson;
    case 'array': {
      const item = cellConverter((schema.items ?? {}) as Record<string, unknown>);
      return (s) => {
        const value: unknown[] = [];
        for (const part of s.split(/[、;；]/).map((p) => cleanText(p)).filter((p) => p !== '')) {
          const c = item(part);
          if ('problem' in c) return c;
          value.push(c.value);
        }
        return { value };
      };
    }
    default: {
      const format = schema.format;
      return (s) => ({ value: format === 'date' ? isoDate(s) : canonical(format, s) });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

const pointerField = (pointer: string) => pointer.split('/')[1]?.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Validates every data row of a register file against the form: converts each cell, validates
 * each row as a submission of the start form by a user with `roles`, and finds repeated keys.
 * Reports every bad row; returns the records only when there is no problem at all.
 */
export function validateRegisterRows(validator: FormValidator, file: RegisterFile, options: RegisterImportOptions): RegisterImportResult {
  const form = validator.form;
  const cap = options.maxProblems ?? 1000;
  const problems: RowProblem[] = [];
  let moreProblems = 0;
  const report = (p: RowProblem) => {
    if (problems.length < cap) problems.push(p);
    else moreProblems++;
  };

  // Columns: matched to fields; fields the importing user may not fill in are refused once, not per
  // row, when the column has data (an empty column of a template is simply not imported).
  const ctx = { roles: options.roles };
  const access = fieldAccess(form, ctx);
  const required = Object.keys(access).filter((f) => access[f] === 'required');
  const mapping = mapColumns(file.header, form, { required });
  mapping.problems.forEach(report);
  const columnName = (i: number) => (file.header[i] ?? '').trim();
  const fields = [...mapping.fields];
  fields.forEach((field, i) => {
    if (field === undefined || (access[field] !== 'hidden' && access[field] !== 'readOnly')) return;
    fields[i] = undefined;
    if (!file.rows.some((r) => cleanText(r[i] ?? '') !== '')) return;
    report({ row: 1, column: columnName(i), field, message: located(1, undefined, m(`列“${columnName(i)}”不能导入：您不能填写此字段`, `Column "${columnName(i)}" cannot be imported: you may not fill in this field`)) });
  });
  const width = file.rows.reduce((w, r) => Math.max(w, r.length), file.header.length);
  for (let i = 0; i < width; i++) {
    if (headerKey(file.header[i] ?? '') !== '' || !file.rows.some((r) => cleanText(r[i] ?? '') !== '')) continue;
    report({ row: 1, message: located(1, undefined, m(`第 ${columnLetter(i)} 列没有列名，但下面有数据`, `Column ${columnLetter(i)} has data but no column name`)) });
  }

  const converters = fields.map((f) => (f === undefined ? undefined : cellConverter(form.properties[f] as Record<string, unknown>)));
  const columnForField = (field: string | undefined) => {
    const i = field === undefined ? undefined : mapping.columnOf[field];
    return i !== undefined && fields[i] !== undefined ? columnName(i) : field === undefined ? undefined : titleOf(form, field);
  };
  const missing = new Set(mapping.missing);
  const notes = new Map<number, Map<number, LocalizedText>>();
  for (const n of file.notes ?? []) notes.set(n.row, (notes.get(n.row) ?? new Map<number, LocalizedText>()).set(n.column, n.message));
  const keyFields = options.uniqueBy === undefined ? [] : typeof options.uniqueBy === 'string' ? [options.uniqueBy] : [...options.uniqueBy];
  const seen = new Map<string, number>();

  const records: Record<string, unknown>[] = [];
  const recordRows: number[] = [];
  let badRows = 0;
  let rowCount = 0;
  file.rows.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((c) => cleanText(c) === '')) return;
    rowCount++;
    const rowProblems: RowProblem[] = [];
    const failed = new Set<string>();
    const record: Record<string, unknown> = {};
    fields.forEach((field, i) => {
      const text = cleanText(cells[i] ?? '');
      if (field === undefined || text === '') return;
      const note = notes.get(row)?.get(i);
      const converted = note ? { problem: note } : (converters[i] as Converter)(text);
      if ('value' in converted) {
        record[field] = converted.value;
      } else {
        failed.add(field);
        rowProblems.push({ row, column: columnName(i), field, message: located(row, columnName(i), converted.problem) });
      }
    });

    const result = validator.validate(record, ctx);
    for (const p of result.problems) {
      const field = pointerField(p.pointer);
      if (field !== undefined && (failed.has(field) || (missing.has(field) && p.code === 'form.required'))) continue;
      const column = columnForField(field);
      rowProblems.push({ row, ...(column === undefined ? {} : { column }), ...(field === undefined ? {} : { field }), message: located(row, column, p.message) });
    }

    if (keyFields.length > 0 && keyFields.every((f) => record[f] !== undefined && record[f] !== '')) {
      const key = JSON.stringify(keyFields.map((f) => String(record[f]).toUpperCase()));
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, row);
      } else {
        const names = keyFields.map((f) => `“${columnForField(f)}”`).join('、');
        const column = columnForField(keyFields[0]);
        rowProblems.push({
          row, ...(column === undefined ? {} : { column }), field: keyFields[0],
          message: located(row, column, m(`与第 ${first} 行重复（${names}相同）`, `Repeats row ${first} (same ${keyFields.map((f) => `"${columnForField(f)}"`).join(', ')})`)),
        });
      }
    }

    if (rowProblems.length === 0 && options.checkRow) {
      for (const p of options.checkRow(result.values)) {
        const column = columnForField(p.field);
        rowProblems.push({ row, ...(column === undefined ? {} : { column }), field: p.field, message: located(row, column, p.message) });
      }
    }

    if (rowProblems.length > 0) {
      badRows++;
      // Left to right, as the user reads the row; fields without a column last.
      const place = (p: RowProblem) => (p.field === undefined ? Infinity : mapping.columnOf[p.field] ?? Infinity);
      rowProblems.sort((a, b) => place(a) - place(b)).forEach(report);
    } else {
      records.push(result.values);
      recordRows.push(row);
    }
  });

  const ok = problems.length === 0 && moreProblems === 0;
  return { records: ok ? records : [], recordRows: ok ? recordRows : [], problems, moreProblems, badRows, rowCount };
}
