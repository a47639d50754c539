import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { FormValidator, UserError, computeIdCardCheck } from '@gridflow/engine';
import type { FormDefinition } from '@gridflow/engine';
import { mapColumns, maxRegisterRows, readRegisterFile, validateRegisterRows } from '../../src/registers/register-import.ts';
import type { RegisterFile, RowProblem } from '../../src/registers/register-import.ts';

const form = JSON.parse(readFileSync(new URL('./fixtures/population.form.json', import.meta.url), 'utf8')) as FormDefinition;
const validator = new FormValidator(form);
const roles = ['grid-worker'];

const header = ['姓名', '身份证号', '联系电话', '所属网格', '性别', '出生日期', '是否户籍人口', '人员类别', '流入原因', '居住地址'];
const day = 24 * 3600 * 1000;
const birthOf = (i: number) => new Date(Date.UTC(1950, 0, 1) + i * day);
const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** A valid ID card number for person i: Jinan Lixia, born 1950-01-01 + i days. */
function idFor(i: number): string {
  const first17 = `370102${ymd(birthOf(i)).replace(/-/g, '')}00${i % 10}`;
  return first17 + computeIdCardCheck(first17);
}

/** A good row of person i, as CSV cells (dates sometimes as Excel in China writes them). */
function goodRow(i: number): string[] {
  const birth = birthOf(i);
  const floating = i % 3 === 0;
  return [
    `居民${i}`, idFor(i), `138${String(i).padStart(8, '0')}`, `370102001001${String(i % 50).padStart(3, '0')}`,
    i % 2 === 1 ? '男' : '女',
    i % 4 === 0 ? `${birth.getUTCFullYear()}/${birth.getUTCMonth() + 1}/${birth.getUTCDate()}` : ymd(birth),
    ['是', '否', 'true', '1', '0', 'FALSE'][i % 6] as string,
    floating ? '流动人口' : '常住人口', floating ? '务工' : '',
    i === 2 ? '历下区"泉城路"1 号,\n2 单元' : `历下区泉城路 ${i} 号`,
  ];
}

const csvCell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
const toCsv = (rows: string[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
const col = (name: string) => header.indexOf(name);

/** The 10,000-row file: 7 bad rows scattered, by data index (spreadsheet row = index + 2). */
function populationRows(count: number, withBadRows: boolean): string[][] {
  const rows = Array.from({ length: count }, (_, i) => goodRow(i));
  if (!withBadRows) return rows;
  const set = (i: number, column: string, value: string) => { (rows[i] as string[])[col(column)] = value; };
  const id = idFor(17);
  set(17, '身份证号', id.slice(0, 17) + (id.endsWith('X') ? '0' : String((Number(id.slice(17)) + 1) % 10)));
  set(1234, '联系电话', '1381234567');
  set(3000, '所属网格', 'G-001');
  set(4999, '姓名', '');
  set(6500, '人员类别', '流动人口');
  set(6500, '流入原因', '');
  set(8100, '身份证号', idFor(40));
  set(9998, '是否户籍人口', '不详');
  return rows;
}

const summary = (problems: RowProblem[]) => problems.map((p) => `${p.row}:${p.column}`);

test('a 10,000-row CSV with 7 bad rows: exactly those rows are reported and nothing is importable', async () => {
  const csv = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(toCsv([header, ...populationRows(10_000, true)]))]);
  const started = performance.now();
  const file = await readRegisterFile(csv, '实有人口.csv');
  const parsed = performance.now();
  const result = validateRegisterRows(validator, file, { roles, uniqueBy: 'idNumber' });
  const done = performance.now();
  console.log(`10,000-row CSV (${(csv.length / 1024).toFixed(0)} KB): parse ${(parsed - started).toFixed(0)} ms, validate ${(done - parsed).toFixed(0)} ms`);

  assert.deepEqual(file.header, header, 'the BOM is not part of the first column name');
  assert.equal(file.rows.length, 10_000);
  assert.equal(file.rows[2]?.[col('居住地址')], '历下区"泉城路"1 号,\n2 单元', 'RFC 4180 quoting: commas, quotes and a line break in one cell');
  assert.deepEqual(summary(result.problems), [
    '19:身份证号', '1236:联系电话', '3002:所属网格', '5001:姓名', '6502:流入原因', '8102:身份证号', '10000:是否户籍人口',
  ]);
  assert.deepEqual(result.problems.map((p) => p.field), ['idNumber', 'phone', 'grid', 'name', 'inflowReason', 'idNumber', 'registered']);
  assert.match(result.problems[0]?.message['zh-CN'] ?? '', /^第 19 行“身份证号”：身份证号不正确（校验位不符/);
  assert.match(result.problems[5]?.message['zh-CN'] ?? '', /与第 42 行重复/);
  assert.match(result.problems[5]?.message.en ?? '', /Repeats row 42/);
  assert.equal(result.records.length, 0, 'a file with bad rows imports nothing');
  assert.equal(result.badRows, 7);
  assert.equal(result.rowCount, 10_000);
  assert.equal(result.moreProblems, 0);
});

test('the same file without bad rows gives 10,000 typed records', async () => {
  const file = await readRegisterFile(Buffer.from(toCsv([header, ...populationRows(10_000, false)])), 'population.CSV');
  const started = performance.now();
  const result = validateRegisterRows(validator, file, { roles, uniqueBy: 'idNumber' });
  console.log(`10,000 good rows validated in ${(performance.now() - started).toFixed(0)} ms`);
  assert.deepEqual(result.problems, []);
  assert.equal(result.records.length, 10_000);
  assert.deepEqual(result.records[0], {
    name: '居民0', idNumber: idFor(0), phone: '13800000000', grid: '370102001001000', sex: '女', birthDate: '1950-01-01',
    registered: true, category: '流动人口', inflowReason: '务工', address: '历下区泉城路 0 号',
  });
  assert.equal(result.records[1]?.inflowReason, undefined, 'empty cells are left out');
  assert.equal(result.records[5]?.registered, false);
});

/** GBK bytes of a text, from the gb18030 decoder's two-byte table (Node has no GBK encoder). */
function gbk(text: string): Buffer {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const c = decoder.decode(Uint8Array.of(lead, trail));
      if (c.length === 1 && !table.has(c)) table.set(c, [lead, trail]);
    }
  }
  return Buffer.from([...text].flatMap((c) => (c.charCodeAt(0) < 0x80 ? [c.charCodeAt(0)] : table.get(c) ?? assert.fail(`no GBK code for ${c}`))));
}

test('a GBK-encoded CSV (as Excel in China saves it) is decoded', async () => {
  const text = toCsv([header, goodRow(3), goodRow(4)]);
  const bytes = gbk(text);
  assert.notEqual(bytes.length, Buffer.byteLength(text), 'really GBK, not UTF-8');
  const file = await readRegisterFile(bytes, 'gbk.csv');
  assert.deepEqual(file.header, header);
  assert.deepEqual(file.rows, [goodRow(3), goodRow(4)]);
  const result = validateRegisterRows(validator, file, { roles });
  assert.deepEqual(result.problems, []);
  assert.equal(result.records[0]?.category, '流动人口');
  assert.equal(result.records[0]?.name, '居民3');
});

test('empty trailing rows are ignored, empty rows in between keep the numbering', async () => {
  const text = `${header.join(',')}\n${goodRow(1).map(csvCell).join(',')}\n\n${[...goodRow(2).slice(0, 2), '12'].map(csvCell).join(',')}\n,,,,,,\n\n`;
  const file = await readRegisterFile(Buffer.from(text), 'r.csv');
  assert.equal(file.rows.length, 3);
  const result = validateRegisterRows(validator, file, { roles });
  assert.deepEqual(summary(result.problems), ['4:联系电话', '4:所属网格', '4:人员类别']);
  assert.equal(result.rowCount, 2);
});

test('mapColumns matches titles and keys, and names unknown, repeated and missing columns', () => {
  const mapping = mapColumns(['*姓名', 'idNumber', '电话号码', '身份证号', ' 所属网格 '], form);
  assert.deepEqual(mapping.fields, ['name', 'idNumber', undefined, undefined, 'grid']);
  assert.deepEqual(mapping.missing, ['category']);
  assert.deepEqual(mapping.problems.map((p) => p.message['zh-CN']), [
    '第 1 行：不认识的列“电话号码”（第 C 列），表单中没有这个字段',
    '第 1 行：列“身份证号”（第 D 列）与第 B 列重复',
    '第 1 行：缺少必填的列“人员类别”',
  ]);
  assert.ok(mapping.problems.every((p) => p.row === 1));
});

test('a missing required column is reported once, not on every row', async () => {
  const file: RegisterFile = { header: ['姓名', '身份证号', '所属网格'], rows: [0, 1, 2].map((i) => goodRow(i).slice(0, 2).concat(goodRow(i)[3] as string)) };
  const result = validateRegisterRows(validator, file, { roles });
  assert.deepEqual(summary(result.problems), ['1:人员类别']);
});

test('problems are capped at 1,000 with a count of the rest; every bad row is still counted', () => {
  const rows = Array.from({ length: 1500 }, (_, i) => { const r = goodRow(i); r[col('联系电话')] = 'none'; return r; });
  const result = validateRegisterRows(validator, { header, rows }, { roles });
  assert.equal(result.problems.length, 1000);
  assert.equal(result.moreProblems, 500);
  assert.equal(result.badRows, 1500);
  assert.equal(result.problems.at(-1)?.row, 1001);
});

async function xlsx(build: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook.addWorksheet('实有人口'));
  workbook.addWorksheet('说明').addRow(['不读取第二个工作表']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const xlsxHeader = ['*姓名', '身份证号', '联系电话', '所属网格', '出生日期', '是否户籍人口', '人员类别', '流入原因', 'householdSize', '人员标签', '位置'];

function xlsxRow(i: number): ExcelJS.CellValue[] {
  return [
    i === 0 ? { richText: [{ text: '张' }, { text: '三', font: { bold: true } }] } : `居民${i}`,
    idFor(i), 13800000000 + i, `370102001001${String(i % 50).padStart(3, '0')}`, birthOf(i),
    i % 2 === 0, i % 3 === 0 ? '流动人口' : '常住人口', i % 3 === 0 ? '务工' : null, 1 + (i % 5),
    i % 4 === 0 ? '独居老人、低保户' : null, `117.${String(i).padStart(4, '0')},36.6758`,
  ];
}

test('an XLSX register: the first worksheet, typed cells as text, then converted to the fields\' types', async () => {
  const buffer = await xlsx((sheet) => {
    sheet.addRow(xlsxHeader);
    for (let i = 0; i < 300; i++) sheet.addRow(xlsxRow(i));
    sheet.getCell('A305').numFmt = '@'; // a formatted but empty row at the end
  });
  const started = performance.now();
  const file = await readRegisterFile(buffer, '台账.xlsx');
  const result = validateRegisterRows(validator, file, { roles, uniqueBy: 'idNumber' });
  console.log(`300-row XLSX read and validated in ${(performance.now() - started).toFixed(0)} ms`);
  assert.equal(file.rows.length, 300);
  assert.deepEqual(file.rows[0]?.slice(0, 6), ['张三', idFor(0), '13800000000', '370102001001000', '1950-01-01', 'true']);
  assert.deepEqual(result.problems, []);
  assert.equal(result.records.length, 300);
  assert.deepEqual(result.records[0], {
    name: '张三', idNumber: idFor(0), phone: '13800000000', grid: '370102001001000', birthDate: '1950-01-01', registered: true,
    category: '流动人口', inflowReason: '务工', householdSize: 1, tags: ['独居老人', '低保户'],
    location: { type: 'Point', coordinates: [117, 36.6758] },
  });
});

test('XLSX problems: ID numbers stored as numbers, read-only and unknown columns, bad cells', async () => {
  const buffer = await xlsx((sheet) => {
    sheet.addRow([...xlsxHeader, '核查人', '备注']);
    for (let i = 0; i < 20; i++) sheet.addRow([...xlsxRow(i), '', '']);
    sheet.getCell('B5').value = Number(idFor(3)); // Excel turned the ID card number into a number
    sheet.getCell('I7').value = 2.5; // householdSize
    sheet.getCell('J8').value = '独居老人；学生'; // not a tag
    sheet.getCell('K9').value = '东经117度'; // not "lon,lat"
    sheet.getCell('L10').value = '王五';
    sheet.getCell('C11').value = { formula: 'TEXT(1,"0")', result: '1' }; // a formula's result
  });
  const result = validateRegisterRows(validator, await readRegisterFile(buffer, 'x.XLSX'), { roles });
  assert.deepEqual(summary(result.problems), ['1:备注', '1:核查人', '5:身份证号', '7:householdSize', '8:人员标签', '9:位置', '11:联系电话']);
  assert.match(result.problems[2]?.message['zh-CN'] ?? '', /超过 15 位的数字/);
  assert.match(result.problems[3]?.message['zh-CN'] ?? '', /不是整数/);
  assert.match(result.problems[5]?.message['zh-CN'] ?? '', /经度,纬度/);
  assert.equal(result.records.length, 0);
});

test('file limits and types give clear errors', async () => {
  const code = (e: unknown) => (e instanceof UserError ? e.code : String(e));
  await assert.rejects(readRegisterFile(Buffer.alloc(20 * 1024 * 1024 + 1), 'big.csv'), (e) => code(e) === 'register.fileTooLarge');
  const tooMany = Buffer.from(`姓名\n${'张三\n'.repeat(maxRegisterRows + 1)}`);
  await assert.rejects(readRegisterFile(tooMany, 'many.csv'), (e) => code(e) === 'register.tooManyRows' && /50000/.test((e as UserError).localized['zh-CN']));
  const exactly = await readRegisterFile(Buffer.from(`姓名\n${'张三\n'.repeat(maxRegisterRows)}${',\n'.repeat(100)}`), 'max.csv');
  assert.equal(exactly.rows.length, maxRegisterRows);
  await assert.rejects(readRegisterFile(Buffer.from('x'), 'old.xls'), (e) => code(e) === 'register.unsupportedFile');
  await assert.rejects(readRegisterFile(Buffer.from('not a zip'), 'broken.xlsx'), (e) => code(e) === 'register.badXlsx');
  await assert.rejects(readRegisterFile(Buffer.from('a,b\n"unclosed,1\n'), 'bad.csv'), (e) => code(e) === 'register.badCsv');
  await assert.rejects(readRegisterFile(Buffer.from('\n\n'), 'empty.csv'), (e) => code(e) === 'register.empty');
});
