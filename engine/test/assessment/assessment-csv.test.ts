import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assess, assessmentCsv, assessmentRows, type Assessment } from '../../src/index.ts';
import { csvCell } from '../../src/assessment/assessment-csv.ts';
import { goldenHistory, q4, standardProfile } from './assessment-fixtures.ts';

const departments = assess(goldenHistory, standardProfile, { ...q4, unitKind: 'department' });
const names = { D01: '区综合行政执法局', D02: '市场监管, "一所"', D03: '住建\n二科' };

describe('assessment export: rows', () => {
  it('given the golden departments, then the header names each indicator\'s numerator, denominator and rate, then score and grade', () => {
    const [header] = assessmentRows(departments);
    assert.deepEqual(header!.slice(0, 5), ['单位', '名称', '立案率分子', '立案率分母', '立案率']);
    assert.deepEqual(header!.slice(-2), ['综合得分', '等级']);
    assert.equal(header!.length, 2 + 3 * standardProfile.indicators.length + 2);
    const [en] = assessmentRows(departments, { locale: 'en' });
    assert.deepEqual(en!.slice(2, 5), ['registrationRate numerator', 'registrationRate denominator', 'registrationRate']);
  });

  it('given D01, then its row holds exact counts, rates rounded half up to 4 decimals, empty cells for null rates, the score and grade', () => {
    const rows = assessmentRows(departments, { names });
    const d01 = rows[1]!;
    assert.deepEqual(d01.slice(0, 5), ['D01', '区综合行政执法局', '0', '0', '']);
    const at = (code: string) => 2 + 3 * standardProfile.indicators.findIndex((x) => x.code === code);
    assert.deepEqual(d01.slice(at('onTimeHandlingRate'), at('onTimeHandlingRate') + 3), ['8', '13', '0.6154']);
    assert.deepEqual(d01.slice(at('closingRate'), at('closingRate') + 3), ['10', '12', '0.8333']);
    assert.deepEqual(d01.slice(at('accurateDispatchRate'), at('accurateDispatchRate') + 3), ['12', '12', '1.0000']);
    assert.deepEqual(d01.slice(-2), ['81.19', 'B']);
    assert.equal(assessmentRows(departments, { rateDigits: 1 })[1]![at('onTimeHandlingRate') + 2], '0.6');
  });

  it('given a unit without a score, then its score and grade cells are empty', () => {
    const empty: Assessment = { ...departments, units: [{ ...departments.units[0]!, score: null, grade: null }] };
    assert.deepEqual(assessmentRows(empty)[1]!.slice(-2), ['', '']);
  });
});

describe('assessment export: CSV', () => {
  const csv = assessmentCsv(departments, { names });

  it('given an assessment, then the CSV starts with a UTF-8 BOM and ends every line with CRLF', () => {
    assert.equal(csv.charCodeAt(0), 0xfeff);
    assert.ok(csv.endsWith('\r\n'));
    assert.equal(csv.split('\r\n').length, 1 + 1 + departments.units.length);
    assert.ok(Buffer.from(csv, 'utf8').subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])));
  });

  it('given names with a comma, quotes and a line break, then those cells are quoted with quotes doubled', () => {
    const lines = csv.slice(1).split('\r\n');
    assert.ok(lines[2]!.startsWith('D02,"市场监管, ""一所""",'));
    assert.ok(csv.includes('\r\nD03,"住建\n二科",'));
  });

  it('given cells a spreadsheet would run as formulas, then they get a leading apostrophe; numbers stay numbers', () => {
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('+86 123'), "'+86 123");
    assert.equal(csvCell('@user'), "'@user");
    assert.equal(csvCell('-1'), '-1');
    assert.equal(csvCell('0.8333'), '0.8333');
    assert.equal(csvCell(' padded'), '" padded"');
    assert.equal(csvCell('plain'), 'plain');
  });
});
