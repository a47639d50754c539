import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  assess, explain, countNames, indicatorCodes, indicatorDefinitions, unitKinds,
  type CountName, type UnitKind,
} from '../../src/index.ts';
import { fullProfile, goldenHistory, q4, standardProfile } from './assessment-fixtures.ts';
import { referenceAssessment } from './reference-count.ts';

const expected = JSON.parse(readFileSync(new URL('./fixtures/expected-2026-q4.json', import.meta.url), 'utf8')) as Record<UnitKind, unknown>;
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** The sorted case ids counted in one count of a unit, through explain(). */
function casesIn(unitKind: UnitKind, unit: string, count: CountName): string[] {
  const code = indicatorCodes.find((c) => indicatorDefinitions[c].numerator === count || indicatorDefinitions[c].denominator === count)!;
  const explained = explain(goldenHistory, { ...q4, unitKind, unit, indicator: code });
  const side = explained.numerator.count === count ? explained.numerator : explained.denominator;
  return side.items.map((item) => item.caseId).sort();
}

const list = (text: string) => (text === '' ? [] : text.split(' ').sort());

describe('assessment golden: Q4 2026 with the standard profile', () => {
  for (const unitKind of unitKinds) {
    it(`given the Q4 history, when assessed per ${unitKind}, then the result equals expected-2026-q4.json`, () => {
      assert.deepEqual(plain(assess(goldenHistory, standardProfile, { ...q4, unitKind })), expected[unitKind]);
    });
  }

  it('given the same history, when counted by the independent reference counter, then it also gives expected-2026-q4.json', () => {
    for (const unitKind of unitKinds) {
      assert.deepEqual(plain(referenceAssessment(goldenHistory, q4.from, q4.to, unitKind, standardProfile)), expected[unitKind], unitKind);
    }
  });
});

// Ledgers counted by hand from the case stories of fixtures/history-2026-q4.json.
// Department D01 (城管执法). Not counted: C25 (suspended at the end), C30's and C27's dispatches (before the period).
// | count | cases |
// |---|---|
// | dispatches = accurateDispatches (12) | C01 C04 C09 C12 C13 C15 C19 C20 C25 C32 C37 C41 |
// | dueToHandle (13) | handled ones + C20 C30 C32 (open and overdue at the end) |
// | handled (10) | C01 C04 C09 C12 C13 C15 C19 C27 C37 C41 |
// | handledOnTime (8) | handled but C15 (late despite 延期) and C19 |
// | extended (1) | C15 |
// | dueToClose (12) | C01 C04 C09 C12 C13 C15 C19 C20 C27 C30 C37 C41 (C32: closing due after the end) |
// | closed (10) / closedOnTime (9) | due but C20 C30 / and but C15 |
// | visits (9) / satisfiedVisits (8) | C01 C04 C09 C12 C13 C15 C27 C37 C41 / but C15 |
const d01: Partial<Record<CountName, string>> = {
  dispatches: 'C01 C04 C09 C12 C13 C15 C19 C20 C25 C32 C37 C41',
  accurateDispatches: 'C01 C04 C09 C12 C13 C15 C19 C20 C25 C32 C37 C41',
  dueToHandle: 'C01 C04 C09 C12 C13 C15 C19 C20 C27 C30 C32 C37 C41',
  handled: 'C01 C04 C09 C12 C13 C15 C19 C27 C37 C41',
  handledOnTime: 'C01 C04 C09 C12 C13 C27 C37 C41',
  overdueUnhandled: 'C20 C30 C32',
  extended: 'C15',
  dueToClose: 'C01 C04 C09 C12 C13 C15 C19 C20 C27 C30 C37 C41',
  closed: 'C01 C04 C09 C12 C13 C15 C19 C27 C37 C41',
  closedOnTime: 'C01 C04 C09 C12 C13 C19 C27 C37 C41',
  reworked: '',
  visits: 'C01 C04 C09 C12 C13 C15 C27 C37 C41',
  satisfiedVisits: 'C01 C04 C09 C12 C13 C27 C37 C41',
};
// Grid worker wgy001: reports decided in the period (C27 before it, C31 after it), checks held (C10: asked of
// wgy002, done by wgy001), verifications (C09 late) and visits made (C39's second visit is by the hotline).
const wgy001: Partial<Record<CountName, string>> = {
  reportsDecided: 'C01 C05 C12 C15 C19 C23 C39',
  reportsRegistered: 'C01 C05 C12 C15 C19 C23 C39',
  dueToCheck: 'C09 C10',
  checkedOnTime: 'C10',
  dueToVerify: 'C01 C05 C09 C12 C15 C19 C27 C39',
  verifiedOnTime: 'C01 C05 C12 C15 C19 C27 C39',
  visits: 'C01 C05 C09 C12 C15 C27 C39',
  satisfiedVisits: 'C01 C05 C09 C12 C27',
};
// Community 370102001002 (grid G121): C11 undecided and unchecked past its deadlines at the end; C07 rejected
// late; C22 not yet due; C25 suspended; C29 carried over from Q3 and handled late; C17 and C40 reworked
// (C40 in Q3); C36's verification and closing overdue; C17 has two verifications.
const community: Partial<Record<CountName, string>> = {
  reportsDecided: 'C03 C07 C14 C17 C22 C25 C33 C36',
  reportsRegistered: 'C03 C14 C17 C22 C25 C33 C36',
  dueToDecide: 'C03 C07 C11 C14 C17 C22 C25 C33 C36',
  decidedOnTime: 'C03 C14 C17 C22 C25 C33 C36',
  dueToCheck: 'C11',
  checkedOnTime: '',
  dispatches: 'C03 C14 C17 C22 C25 C33 C36',
  dueToHandle: 'C03 C14 C17 C29 C33 C36 C40',
  handledOnTime: 'C03 C14 C33 C36 C40',
  overdueUnhandled: '',
  extended: 'C14',
  dueToClose: 'C03 C14 C17 C29 C33 C36 C40',
  closedOnTime: 'C03 C14 C17 C33 C40',
  reworked: 'C17 C40',
  dueToVerify: 'C03 C14 C17 C17 C29 C33 C36 C40',
  verifiedOnTime: 'C03 C14 C17 C17 C29 C33 C40',
  visits: 'C03 C14 C17 C29 C33 C40',
  satisfiedVisits: 'C14 C33 C40',
};

describe('assessment golden: ledgers counted by hand from the case stories', () => {
  const ledgers: [UnitKind, string, Partial<Record<CountName, string>>][] = [
    ['department', 'D01', d01], ['gridWorker', 'wgy001', wgy001], ['community', '370102001002', community],
  ];
  for (const [unitKind, unit, ledger] of ledgers) {
    it(`given the hand ledger of ${unitKind} ${unit}, when each count is explained, then it lists exactly those cases`, () => {
      for (const [count, cases] of Object.entries(ledger)) assert.deepEqual(casesIn(unitKind, unit, count as CountName), list(cases), count);
    });
  }

  it('given D01 by hand, then its score is Σ weight × rate ÷ 85 (the weights with a rate) = 81.19, grade B', () => {
    // accurate 12/12 ×10, handling 10/13 ×10, on time 8/13 ×20, closing 10/12 ×5, closed on time 9/12 ×10,
    // (1 − rework 0/12) ×10, (1 − overdue 3/13) ×5, (1 − extension 1/13) ×5, satisfaction 8/9 ×10; the registration
    // and verification rates have no denominator for a department, so their 15 points of weight are left out.
    const byHand = (10 + 10 * 10 / 13 + 20 * 8 / 13 + 5 * 10 / 12 + 10 * 9 / 12 + 10 + 5 * 10 / 13 + 5 * 12 / 13 + 10 * 8 / 9) / 85 * 100;
    assert.equal(Math.floor(byHand * 100) / 100, 81.19);
    const d01Result = assess(goldenHistory, standardProfile, { ...q4, unitKind: 'department', units: ['D01'] }).units[0]!;
    assert.deepEqual([d01Result.score, d01Result.grade], [81.19, 'B']);
  });
});

describe('assessment golden: reconciliation with the case history', () => {
  const knownCases = new Set(goldenHistory.map((e) => e.caseId));
  for (const unitKind of unitKinds) {
    it(`given every ${unitKind} and every indicator, when explained, then the items count exactly the numerator and denominator`, () => {
      const result = assess(goldenHistory, fullProfile, { ...q4, unitKind });
      assert.ok(result.units.length > 0);
      for (const unit of result.units) {
        for (const value of unit.indicators) {
          const explained = explain(goldenHistory, { ...q4, unitKind, unit: unit.unit, indicator: value.code });
          const where = `${unit.unit} ${value.code}`;
          assert.equal(explained.numerator.items.length, value.numerator, where);
          assert.equal(explained.denominator.items.length, value.denominator, where);
          assert.ok(explained.denominator.items.every((item) => knownCases.has(item.caseId)), where);
          const keys = new Set(explained.denominator.items.map((item) => `${item.caseId} ${item.ref}`));
          assert.equal(keys.size, explained.denominator.items.length, `${where}: an item is counted once`);
          assert.ok(explained.numerator.items.every((item) => keys.has(`${item.caseId} ${item.ref}`)), `${where}: numerator ⊆ denominator`);
        }
      }
    });
  }

  it('given the place units, then every street adds up its communities and every community its grids, count by count', () => {
    const byKind = (unitKind: UnitKind) => assess(goldenHistory, fullProfile, { ...q4, unitKind }).units;
    const sumUnder = (parent: string, children: ReturnType<typeof byKind>) =>
      Object.fromEntries(countNames.map((name) => [name, children.filter((c) => c.unit.startsWith(parent)).reduce((s, c) => s + c.counts[name], 0)]));
    const communities = byKind('community');
    for (const street of byKind('street')) assert.deepEqual(sumUnder(street.unit, communities), street.counts, street.unit);
    for (const community of communities) assert.deepEqual(sumUnder(community.unit, byKind('grid')), community.counts, community.unit);
  });

  it('given events after the period end, when they are dropped, then the period\'s figures do not change (a closed period stays closed)', () => {
    const before = goldenHistory.filter((e) => Date.parse(e.at) < Date.parse(q4.to));
    assert.ok(before.length < goldenHistory.length);
    for (const unitKind of unitKinds) {
      assert.deepEqual(assess(before, fullProfile, { ...q4, unitKind }), assess(goldenHistory, fullProfile, { ...q4, unitKind }), unitKind);
    }
  });
});
