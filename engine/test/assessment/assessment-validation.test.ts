import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError, assess, explain, type CaseEvent, type IndicatorCode, type UnitKind } from '../../src/index.ts';
import { at, closed, dispatched, fullProfile, handled, q4, registered, reported, standardProfile, story } from './assessment-fixtures.ts';

const options = { ...q4, unitKind: 'street' as UnitKind };
const valid = story('A', reported('10-02 09:00', '10-02 11:00'), registered('10-02 10:00', '10-20 18:00'));

/** The error code and detail paths thrown by fn, which must throw a UserError. */
function refusal(fn: () => unknown): { code: string; paths: string[]; en: string; zh: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.equal(error.status, 400);
    return { code: error.code, paths: error.details.map((d) => d.target!), en: error.localized.en, zh: error.localized['zh-CN'] };
  }
  assert.fail('expected a UserError');
}
const historyRefusal = (history: unknown[]) => refusal(() => assess(history as CaseEvent[], standardProfile, options));

describe('assessment validation: the case history', () => {
  it('given an event for a case never reported, then it is refused naming history[i].caseId', () => {
    const { code, paths, en, zh } = historyRefusal([...valid, { caseId: 'B', kind: 'closed', at: at('10-05 09:00') }]);
    assert.equal(code, 'engine.assessment.invalidHistory');
    assert.deepEqual(paths, ['history[2].caseId']);
    assert.match(en, /history\[2\]\.caseId: unknown case B/);
    assert.match(zh, /未知案件 B/);
  });

  it('given a case\'s event earlier than its previous one, then it is refused naming history[i].at', () => {
    const { paths, en } = historyRefusal([...valid, { caseId: 'A', kind: 'closed', at: at('10-01 09:00') }]);
    assert.deepEqual(paths, ['history[2].at']);
    assert.match(en, /before the previous event of case A \(history\[1\]/);
  });

  it('given cases interleaved, each in its own order, then the history is accepted', () => {
    const b = story('B', reported('10-01 09:00', '10-01 11:00'), registered('10-03 10:00', '10-20 18:00'));
    assert.equal(assess([b[0]!, ...valid, b[1]!], standardProfile, options).units[0]!.counts.reportsDecided, 2);
  });

  it('given a case reported twice, an unknown kind, a bad instant, a missing field and a bad department list, then every problem is named at once', () => {
    const history = [
      ...valid,
      { ...valid[0]!, at: at('10-03 09:00') },
      { caseId: 'A', kind: 'escalated', at: at('10-04 09:00') },
      { caseId: 'A', kind: 'handled', at: '2026-10-05 09:00', department: 'D1' },
      { caseId: 'A', kind: 'dispatched', at: at('10-06 09:00'), level: 'city', departments: [{ code: 'D1', role: 'primary' }, { code: 'D1', role: 'lead' }] },
      { caseId: 'A', kind: 'visited', at: at('10-07 09:00'), satisfaction: '满意' },
    ];
    assert.deepEqual(historyRefusal(history).paths, [
      'history[2].caseId', 'history[3].kind', 'history[4].at', 'history[5].departments[1].role',
      'history[5].departments[1].code', 'history[5].level', 'history[5].handleDueAt', 'history[6].satisfaction',
    ]);
  });

  it('given instants without an offset or on a day that does not exist, then they are refused', () => {
    const noOffset = [{ ...valid[0]!, registerDueAt: '2026-10-02T11:00:00' }];
    assert.deepEqual(historyRefusal(noOffset).paths, ['history[0].registerDueAt']);
    assert.deepEqual(historyRefusal([{ ...valid[0]!, at: '2026-02-30T09:00:00+08:00' }]).paths, ['history[0].at']);
  });

  it('given events that break the lifecycle, then each is refused with its path', () => {
    const history = story('A', reported('10-02 09:00', '10-02 11:00'), closed('10-02 09:30'), registered('10-02 10:00', '10-20 18:00'),
      registered('10-02 10:30', '10-20 18:00'), dispatched('10-02 11:00', '10-09 18:00', 'D1'), handled('10-03 09:00', 'D2'),
      { kind: 'resumed', at: at('10-04 09:00') }, { kind: 'verified', at: at('10-05 09:00'), by: 'w1', passed: true },
      { kind: 'reworked', at: at('10-05 10:00'), handleDueAt: at('10-08 18:00') });
    assert.deepEqual(historyRefusal(history).paths, ['history[1].kind', 'history[3].kind', 'history[5].department', 'history[6].kind', 'history[7].kind', 'history[8].kind']);
  });

  it('given something other than a list, then it is refused naming history', () => {
    assert.deepEqual(historyRefusal({} as unknown as unknown[]).paths, ['history']);
  });
});

describe('assessment validation: the profile and the options', () => {
  const indicators = standardProfile.indicators;

  it('given a negative weight, then it is refused naming profile.indicators[i].weight', () => {
    const profile = { ...standardProfile, indicators: indicators.map((x, i) => (i === 3 ? { ...x, weight: -1 } : x)) };
    const { code, paths, en } = refusal(() => assess(valid, profile, options));
    assert.equal(code, 'engine.assessment.invalidProfile');
    assert.deepEqual(paths, ['profile.indicators[3].weight']);
    assert.match(en, /must be a number ≥ 0, not -1/);
  });

  it('given an unknown or repeated indicator code, then it is refused naming profile.indicators[i].code', () => {
    const profile = { ...standardProfile, indicators: [{ code: 'happinessRate', name: '幸福率', weight: 5 }, indicators[0]!, indicators[0]!] };
    const { paths, en } = refusal(() => assess(valid, profile, options));
    assert.deepEqual(paths, ['profile.indicators[0].code', 'profile.indicators[2].code']);
    assert.match(en, /unknown indicator "happinessRate"; known: registrationRate/);
  });

  it('given no bands or no indicators, then both are named', () => {
    assert.deepEqual(refusal(() => assess(valid, { indicators: [], bands: [] }, options)).paths, ['profile.indicators', 'profile.bands']);
  });

  it('given a period that ends before it starts or an unknown unit kind, then the options are refused by path', () => {
    const { code, paths } = refusal(() => assess(valid, fullProfile, { from: q4.to, to: q4.from, unitKind: 'city' as UnitKind }));
    assert.equal(code, 'engine.assessment.invalidOptions');
    assert.deepEqual(paths, ['options.to', 'options.unitKind']);
  });

  it('given explain() an unknown indicator, then it is refused naming query.indicator', () => {
    const { paths } = refusal(() => explain(valid, { ...options, unit: 'S1', indicator: 'happinessRate' as IndicatorCode }));
    assert.deepEqual(paths, ['query.indicator']);
  });
});
