import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  computeIdCardCheck, computeUsccCheck, createFormats, explainFormat, formatMessages, formatNames, formatReasons, formats,
  geoPointSchema, idCardInfo, isFormatName, isValidFormat,
} from '../../src/forms/formats.ts';
import type { FormatName, FormatOptions } from '../../src/forms/formats.ts';

/** 2024-06-15 12:00 in China (04:00 UTC). */
const clock: FormatOptions = { now: () => new Date('2024-06-15T04:00:00Z') };
const valid = (name: FormatName, value: string, options: FormatOptions = clock) => isValidFormat(name, value, options);
const why = (name: FormatName, value: string, options: FormatOptions = clock) => explainFormat(name, value, options);
const idCard = (region: string, birth: string, sequence: string) => {
  const first17 = region + birth + sequence;
  return first17 + computeIdCardCheck(first17);
};
const uscc = (first17: string) => first17 + computeUsccCheck(first17);
const digits = '0123456789';
const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('id-card (居民身份证号, GB 11643-1999)', () => {
  it('the published examples of the standard check (computed, not copied)', () => {
    // given the two examples printed in GB 11643-1999
    const beijing = '11010519491231002X';
    const guangdong = '440524188001010014';
    // when their check characters are computed from the first 17 digits
    // then both match the printed ones
    assert.equal(computeIdCardCheck(beijing.slice(0, 17)), 'X');
    assert.equal(computeIdCardCheck(guangdong.slice(0, 17)), '4');
    // and the Beijing one is valid, the 1880 one is refused for its birth date only
    assert.equal(valid('id-card', beijing), true);
    assert.equal(valid('id-card', guangdong), false);
    assert.deepEqual(why('id-card', guangdong), { 'zh-CN': '身份证号中的出生日期 1880-01-01 早于 1900 年', en: 'The birth date 1880-01-01 in the ID card number is before 1900' });
  });

  it('numbers built with the check function are valid for every kind of region and many dates', () => {
    // given regions of several provinces, Hong Kong, Macao, Taiwan, and dates around the edges
    const regions = ['110105', '120101', '150102', '210102', '230102', '310115', '370102', '370282', '410102', '440305', '460105', '500101', '540102', '610113', '650102', '710000', '810000', '820000', '830000'];
    const births = ['19000101', '19491231', '19700101', '19991231', '20000229', '20040229', '20231231', '20240229', '20240615'];
    for (const region of regions) {
      for (const birth of births) {
        for (const sequence of ['001', '002', '999']) {
          // when checked, then they pass, and there is no specific reason to give
          const id = idCard(region, birth, sequence);
          assert.equal(valid('id-card', id), true, id);
          assert.deepEqual(why('id-card', id), formatMessages['id-card'], id);
        }
      }
    }
  });

  it('accepts a lowercase x as the check character', () => {
    assert.equal(valid('id-card', '11010519491231002x'), true);
    assert.deepEqual(idCardInfo('11010519491231002x', clock), { birthDate: '1949-12-31', sex: 'female', regionCode: '110105' });
  });

  it('leap days: 2000-02-29 is real, 1900-02-29 and 2023-02-29 are not', () => {
    assert.equal(valid('id-card', idCard('370102', '20000229', '123')), true);
    assert.equal(valid('id-card', idCard('370102', '19000229', '123')), false);
    assert.equal(valid('id-card', idCard('370102', '20230229', '123')), false);
    assert.deepEqual(why('id-card', idCard('370102', '19000229', '123')), { 'zh-CN': '身份证号中的出生日期 1900-02-29 不存在', en: 'The birth date 1900-02-29 in the ID card number does not exist' });
  });

  it('rejects dates that do not exist, are before 1900 or after today by the injected clock', () => {
    for (const birth of ['20230431', '20231301', '20230001', '20230100', '20230132', '19990631', '18991231']) {
      assert.equal(valid('id-card', idCard('110105', birth, '001')), false, birth);
    }
    // given the clock at 2024-06-15 in China, when born that day or the day after, then today passes, tomorrow fails
    assert.equal(valid('id-card', idCard('110105', '20240615', '001')), true);
    assert.equal(valid('id-card', idCard('110105', '20240616', '001')), false);
    assert.deepEqual(why('id-card', idCard('110105', '20240616', '001')), { 'zh-CN': '身份证号中的出生日期 2024-06-16 晚于今天', en: 'The birth date 2024-06-16 in the ID card number is in the future' });
  });

  it('"today" is the date in China (UTC+8), not in UTC', () => {
    // given a child born on 2024-06-16, checked at 16:00 UTC on the 15th (00:00 on the 16th in Beijing)
    const id = idCard('110105', '20240616', '001');
    // then it is valid from midnight in China, not a second earlier
    assert.equal(valid('id-card', id, { now: () => new Date('2024-06-15T15:59:59Z') }), false);
    assert.equal(valid('id-card', id, { now: () => new Date('2024-06-15T16:00:00Z') }), true);
  });

  it('the default formats use the system clock', () => {
    assert.equal(formats['id-card'].validate(idCard('110105', '29990101', '001')), false);
    assert.equal(formats['id-card'].validate('11010519491231002X'), true);
  });

  it('every single-character typo of a valid number is rejected', () => {
    // given valid numbers, one with the check character X
    const bases = ['11010519491231002X', idCard('370102', '19850715', '001'), idCard('440305', '20000229', '358'), idCard('650102', '20101010', '777')];
    for (const base of bases) {
      for (let position = 0; position < 18; position++) {
        for (const typo of position === 17 ? `${digits}X` : digits) {
          if (typo === base.charAt(position).toUpperCase()) continue;
          // when one character is replaced
          const mistyped = base.slice(0, position) + typo + base.slice(position + 1);
          // then the number is refused
          assert.equal(valid('id-card', mistyped), false, `${base} → ${mistyped}`);
        }
      }
    }
  });

  it('a typo that leaves a plausible region and date is reported as a wrong check digit', () => {
    // given 11010519491231002X with the sequence digit 0 mistyped as 1
    assert.deepEqual(why('id-card', '11010519491231012X'), { 'zh-CN': '身份证号不正确（校验位不符，可能有数字输错）', en: 'Not a valid ID card number (the check digit does not match: a digit may be mistyped)' });
  });

  it('every swap of two neighbouring different digits is rejected', () => {
    const base = idCard('370102', '19850715', '136');
    for (let i = 0; i < 17; i++) {
      if (base[i] === base[i + 1] || base[i + 1] === 'X') continue;
      const swapped = base.slice(0, i) + base.charAt(i + 1) + base.charAt(i) + base.slice(i + 2);
      assert.equal(valid('id-card', swapped), false, swapped);
    }
  });

  it('accepts exactly the GB/T 2260 province codes in the first two digits', () => {
    const provinces = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83']);
    for (let p = 0; p < 100; p++) {
      const code = String(p).padStart(2, '0');
      const id = idCard(`${code}0102`, '19800101', '001');
      assert.equal(valid('id-card', id), provinces.has(code), code);
      if (!provinces.has(code)) assert.equal(why('id-card', id).en, `The first two digits of the ID card number, "${code}", are not a province code`);
    }
  });

  it('rejects wrong lengths and explains them', () => {
    for (const value of ['', '1101051949123100', '11010519491231002', '110105194912310021X', '110105491231002']) {
      assert.equal(valid('id-card', value), false, value);
    }
    // a missing digit is a length problem, even with X at the end
    assert.deepEqual(why('id-card', '1101051949123102X'), { 'zh-CN': '身份证号应为 18 位（现为 17 位）', en: 'The ID card number must have 18 characters (this one has 17)' });
    assert.equal(why('id-card', '110105491231002').en, 'The ID card number must have 18 characters (this one has 15)');
  });

  it('rejects other characters and names the first one', () => {
    for (const value of ['1101051949123100X2', 'X10105194912310021', ' 11010519491231002X', '11010519491231002X ', '１１０１０５１９４９１２３１００２Ｘ', '110105-19491231-002X', '11010519491231002Y']) {
      assert.equal(valid('id-card', value), false, value);
    }
    assert.deepEqual(why('id-card', '1101051949123100X2'), { 'zh-CN': '身份证号第 17 位“X”无效，应为数字', en: 'Character 17 of the ID card number, "X", is invalid: expected a digit' });
    assert.deepEqual(why('id-card', '110105 19491231002X'), { 'zh-CN': '身份证号第 7 位（空格）无效，应为数字', en: 'Character 7 of the ID card number, a space, is invalid: expected a digit' });
    assert.equal(why('id-card', '11010519491231002Y')['zh-CN'], '身份证号第 18 位“Y”无效，应为数字或 X');
  });

  it('idCardInfo reads birth date, sex and region of valid numbers only', () => {
    assert.deepEqual(idCardInfo('11010519491231002X', clock), { birthDate: '1949-12-31', sex: 'female', regionCode: '110105' });
    assert.deepEqual(idCardInfo(idCard('370102', '20000229', '013'), clock), { birthDate: '2000-02-29', sex: 'male', regionCode: '370102' });
    assert.equal(idCardInfo('11010519491231003X', clock), undefined);
    assert.equal(idCardInfo(idCard('370102', '20240616', '013'), clock), undefined);
  });

  it('the check character completes ISO 7064 MOD 11-2 and takes all 11 values', () => {
    // given first-17 strings varying the last two digits, when checked,
    // then the weighted sum with the check character counted as 1×(0–9 or 10 for X) is 1 mod 11
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const seen = new Set<string>();
    for (let n = 0; n < 100; n++) {
      const first17 = `370102198507150${String(n).padStart(2, '0')}`;
      const check = computeIdCardCheck(first17);
      seen.add(check);
      const sum = [...first17].reduce((t, d, i) => t + Number(d) * (weights[i] as number), 0) + (check === 'X' ? 10 : Number(check));
      assert.equal(sum % 11, 1, first17);
    }
    assert.deepEqual([...seen].sort(), [...`${digits}X`].sort());
  });

  it('computeIdCardCheck refuses anything but 17 digits', () => {
    for (const bad of ['', '1101051949123100', '110105194912310021', '1101051949123100X']) assert.throws(() => computeIdCardCheck(bad), RangeError);
  });
});

describe('uscc (统一社会信用代码, GB 32100-2015)', () => {
  it('the published example 91350100M000100Y43 checks (computed, not copied)', () => {
    assert.equal(computeUsccCheck('91350100M000100Y4'), '3');
    assert.equal(valid('uscc', '91350100M000100Y43'), true);
  });

  it('the check character makes the weighted sum 0 mod 31 and takes all 31 values', () => {
    // given codes varying the 17th character over the whole alphabet (its weight 28 is prime to 31)
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const seen = new Set<string>();
    for (const c of usccAlphabet) {
      const first17 = `91370102MA3C4XY2${c}`;
      const check = computeUsccCheck(first17);
      seen.add(check);
      // then Σ value×weight + value(check) ≡ 0 (mod 31)
      const sum = [...first17].reduce((t, x, i) => t + usccAlphabet.indexOf(x) * (weights[i] as number), 0) + usccAlphabet.indexOf(check);
      assert.equal(sum % 31, 0, first17);
    }
    assert.equal(seen.size, 31);
  });

  it('codes built with the check function are valid for every registration authority', () => {
    for (const authority of '123456789ANY') {
      for (const body of ['1370102MA3C4XY2Q', '2110105000000001', '9440305K12345678', '1650102PQRTUWXY0']) {
        const code = uscc(authority + body);
        assert.equal(valid('uscc', code), true, code);
        assert.deepEqual(why('uscc', code), formatMessages.uscc, code);
      }
    }
  });

  it('the alphabet has 31 characters, and I, O, Z, S, V are refused anywhere, with a suggestion', () => {
    assert.equal(usccAlphabet.length, 31);
    const base = '91350100M000100Y43';
    const suggestions: Record<string, string> = { I: '1', O: '0', Z: '2', S: '5', V: 'U' };
    for (const letter of 'IOZSV') {
      assert.throws(() => computeUsccCheck(`91350100M000100${letter}4`), RangeError);
      for (let position = 0; position < 18; position++) {
        const code = base.slice(0, position) + letter + base.slice(position + 1);
        assert.equal(valid('uscc', code), false, code);
        assert.deepEqual(why('uscc', code), {
          'zh-CN': `统一社会信用代码不使用字母 ${letter}（第 ${position + 1} 位），是否应为“${suggestions[letter]}”？`,
          en: `Unified social credit codes never use the letter ${letter} (character ${position + 1}): did you mean "${suggestions[letter]}"?`,
        });
      }
    }
  });

  it('every single-character substitution of a valid code is rejected', () => {
    for (const base of ['91350100M000100Y43', uscc('1237010200000001Q'), uscc('Y1110105MA01ABCDE'), uscc('N2650102000000000')]) {
      for (let position = 0; position < 18; position++) {
        for (const typo of usccAlphabet) {
          if (typo === base[position]) continue;
          const code = base.slice(0, position) + typo + base.slice(position + 1);
          assert.equal(valid('uscc', code), false, `${base} → ${code}`);
        }
      }
    }
  });

  it('a substitution in the free part is reported as a wrong check character', () => {
    assert.deepEqual(why('uscc', '91350100M000100Y53'), { 'zh-CN': '统一社会信用代码不正确（校验位不符，可能有字符输错）', en: 'Not a valid unified social credit code (the check character does not match: a character may be mistyped)' });
  });

  it('checks the registration authority, the organisation type and the region code', () => {
    for (const authority of 'BCDEFGHJKLMPQRTUWX0') {
      const code = uscc(`${authority}1350100M000100Y4`);
      assert.equal(valid('uscc', code), false, code);
      assert.equal(why('uscc', code).en, `The first character of the unified social credit code, "${authority}", is not a registration authority code (1–9, A, N or Y)`);
    }
    for (const type of '0ABY') {
      assert.equal(why('uscc', uscc(`9${type}350100M000100Y4`))['zh-CN'], `统一社会信用代码第 2 位“${type}”不是机构类别代码（应为数字 1–9）`);
    }
    assert.equal(why('uscc', uscc('913501A0M000100Y4'))['zh-CN'], '统一社会信用代码第 3–8 位“3501A0”应为 6 位数字的行政区划代码');
  });

  it('refuses lowercase, other characters and wrong lengths', () => {
    assert.deepEqual(why('uscc', '91350100m000100Y43'), { 'zh-CN': '统一社会信用代码中的字母应大写（第 9 位“m”）', en: 'Letters of a unified social credit code are capitals (character 9, "m")' });
    assert.equal(why('uscc', '91350100m000100y43').en, 'Letters of a unified social credit code are capitals (character 9, "m")');
    assert.equal(why('uscc', '9135010-M000100Y43').en, 'Character 8 of the unified social credit code, "-", is invalid: expected a digit or a capital letter other than I, O, Z, S and V');
    assert.equal(why('uscc', '91350100M000100Y4').en, 'The unified social credit code must have 18 characters (this one has 17)');
    for (const value of ['', '91350100M000100Y433', ' 91350100M000100Y43', '９1350100M000100Y43']) assert.equal(valid('uscc', value), false, value);
  });
});

describe('mobile (中国大陆手机号)', () => {
  it('accepts 11 digits starting with 13–19', () => {
    for (const value of ['13800138000', '14512345678', '15012345678', '16612345678', '17012345678', '18912345678', '19912345678']) {
      assert.equal(valid('mobile', value), true, value);
    }
  });

  it('refuses other starts, lengths, prefixes and separators, saying why', () => {
    for (const value of ['', '10012345678', '11012345678', '12012345678', '23800138000', '03800138000', '1380013800', '138001380000',
      '+8613800138000', '008613800138000', '8613800138000', '138 0013 8000', '138-0013-8000', '13800138000\n', ' 13800138000', '１３８００１３８０００']) {
      assert.equal(valid('mobile', value), false, JSON.stringify(value));
    }
    assert.deepEqual(why('mobile', '+8613800138000'), { 'zh-CN': '手机号请去掉国家码 +86，只填 11 位号码', en: 'Leave out the country code +86: enter the 11-digit number only' });
    assert.equal(why('mobile', '008613800138000').en, 'Leave out the country code 0086: enter the 11-digit number only');
    assert.deepEqual(why('mobile', '138 0013 8000'), { 'zh-CN': '手机号第 4 位（空格）无效，应为数字', en: 'Character 4 of the mobile number, a space, is invalid: expected a digit' });
    assert.equal(why('mobile', '138-0013-8000').en, 'Character 4 of the mobile number, "-", is invalid: expected a digit');
    assert.deepEqual(why('mobile', '1380013800'), { 'zh-CN': '手机号应为 11 位（现为 10 位）', en: 'The mobile number must have 11 characters (this one has 10)' });
    assert.deepEqual(why('mobile', '12012345678'), { 'zh-CN': '手机号应以 13–19 开头（现为“12”）', en: 'A mobile number starts with 13 to 19 (this one starts with "12")' });
  });
});

describe('landline (固定电话)', () => {
  it('accepts area code, optional dash, 7–8 digits and an optional extension', () => {
    for (const value of ['010-12345678', '01012345678', '021-1234567', '0531-88881234', '053188881234', '0531-8888123', '0755-12345678-801', '021-12345678-123456', '0898-1234567-1', '053188881234-8']) {
      assert.equal(valid('landline', value), true, value);
    }
  });

  it('refuses missing or malformed area codes, numbers and extensions, saying why', () => {
    for (const value of ['', '88881234', '10-12345678', '0010-12345678', '00861234567', '01-12345678', '0531-123456', '0531-123456789', '0531-88881234-1234567',
      '0531--88881234', '0531-88881234-', '010123456', '0101234567890', '-0531-88881234', '0531 88881234', '(0531)88881234', '0531-8888-1234-5', '13800138000']) {
      assert.equal(valid('landline', value), false, value);
    }
    assert.deepEqual(why('landline', '88881234'), { 'zh-CN': '固定电话应以区号开头（0 开头的 3–4 位数字，如 0531-88881234）', en: 'A landline number starts with its area code (3 or 4 digits starting with 0, e.g. 0531-88881234)' });
    assert.equal(why('landline', '0010-12345678').en, 'A landline number starts with its area code (3 or 4 digits starting with 0, e.g. 0531-88881234)');
    assert.deepEqual(why('landline', '0531-123456'), { 'zh-CN': '固定电话区号后的号码应为 7–8 位（现为 6 位）', en: 'The number after the area code must have 7 or 8 digits (this one has 6)' });
    assert.equal(why('landline', '0531-88881234-1234567')['zh-CN'], '固定电话分机号最多 6 位（现为 7 位）');
    assert.equal(why('landline', '053188881234-1234567').en, 'An extension has at most 6 digits (this one has 7)');
    assert.equal(why('landline', '01-12345678').en, 'A landline number starts with its area code (3 or 4 digits starting with 0, e.g. 0531-88881234)');
    assert.deepEqual(why('landline', '05318-8888123'), formatMessages.landline);
    assert.equal(why('landline', '(0531)88881234').en, 'Character 1 of the landline number, "(", is invalid: expected a digit or "-"');
    assert.deepEqual(why('landline', '0531--88881234'), formatMessages.landline);
  });
});

describe('grid-code (网格编码)', () => {
  it('accepts the 12-digit community code followed by 3 digits or capitals, as the org tree does', () => {
    for (const value of ['370102001001001', '370102001002999', '370102001001A01', '37010200100100Z']) assert.equal(valid('grid-code', value), true, value);
  });

  it('refuses other lengths and characters', () => {
    for (const value of ['', '37010200100100', '3701020010010011', '37010200100a001', '370102001001a01', '3701020010010 1', '370102-001-001-001']) {
      assert.equal(valid('grid-code', value), false, value);
    }
    assert.deepEqual(why('grid-code', '37010200100100'), { 'zh-CN': '网格编码应为 15 位（现为 14 位）', en: 'The grid code must have 15 characters (this one has 14)' });
    assert.equal(why('grid-code', '3701020010A1001').en, 'Character 11 of the grid code, "A", is invalid: expected a digit');
    assert.equal(why('grid-code', '370102001001a01').en, 'Character 13 of the grid code, "a", is invalid: expected a digit or a capital letter');
  });
});

describe('messages', () => {
  it('every format has a general message, and zh-CN and en of every message use the same placeholders', () => {
    assert.deepEqual(Object.keys(formatMessages).sort(), [...formatNames].sort());
    for (const [code, text] of Object.entries({ ...formatReasons, ...formatMessages })) {
      assert.ok(text['zh-CN'] && text.en, code);
      assert.deepEqual(placeholders(text['zh-CN']), placeholders(text.en), code);
    }
  });

  it('isValidFormat and the ajv validators agree on every sample', () => {
    const samples: Record<FormatName, string[]> = {
      'id-card': ['11010519491231002X', '11010519491231002Y', '1101051949123100', idCard('110105', '20240616', '001')],
      mobile: ['13800138000', '12800138000', '+8613800138000'],
      uscc: ['91350100M000100Y43', '91350100M000100Y44', '91350100M0001OOY43'],
      'grid-code': ['370102001001001', '37010200100100'],
      landline: ['0531-88881234', '0531-8888'],
    };
    const clocked = createFormats(clock);
    for (const name of formatNames) {
      for (const value of samples[name]) assert.equal(valid(name, value), clocked[name].validate(value), `${name} ${value}`);
    }
  });

  it('explainFormat falls back to the general message for a valid value and names formats it does not know', () => {
    // given a valid mobile number, and an error of a format from another library (ajv-formats)
    // when explained, then the general message, and a message naming the format
    assert.deepEqual(why('mobile', '13800138000'), formatMessages.mobile);
    assert.deepEqual(explainFormat('email', 'a@'), { 'zh-CN': '格式不正确（应为 email 格式）', en: 'Wrong format (expected email)' });
    assert.equal(isFormatName('email'), false);
    assert.equal(isFormatName('id-card'), true);
  });
});

describe('ajv 2020 integration', () => {
  const schema = {
    type: 'object',
    properties: {
      reporterIdNumber: { type: 'string', format: 'id-card' },
      phone: { type: 'string', format: 'mobile' },
      officePhone: { type: 'string', format: 'landline' },
      companyCode: { type: 'string', format: 'uscc' },
      grid: { type: 'string', format: 'grid-code' },
      location: geoPointSchema,
    },
    additionalProperties: false,
  };
  const good = {
    reporterIdNumber: '11010519491231002X', phone: '13800138000', officePhone: '0531-88881234-801',
    companyCode: '91350100M000100Y43', grid: '370102001001001', location: { type: 'Point', coordinates: [117.0009, 36.6758] },
  };

  it('given the formats in the constructor (strict mode), when a form is validated, then each bad field fails its format', () => {
    // given
    const ajv = new Ajv2020({ formats, strict: true, allErrors: true });
    const validate = ajv.compile(schema);
    // when / then
    assert.equal(validate(good), true, JSON.stringify(validate.errors));
    const bad = { ...good, reporterIdNumber: '11010519491231003X', phone: '138-0013-8000', officePhone: '88881234', companyCode: '91350100M000100Y44', grid: '3701020010010' };
    assert.equal(validate(bad), false);
    const failed = (validate.errors ?? []).filter((e) => e.keyword === 'format').map((e) => [e.instancePath, e.params['format']]).sort();
    assert.deepEqual(failed, [['/companyCode', 'uscc'], ['/grid', 'grid-code'], ['/officePhone', 'landline'], ['/phone', 'mobile'], ['/reporterIdNumber', 'id-card']]);
  });

  it('given formats added one by one with an injected clock, then birth dates after that day fail', () => {
    const ajv = new Ajv2020({ strict: true });
    const clocked = createFormats(clock);
    for (const name of formatNames) ajv.addFormat(name, clocked[name]);
    const validate = ajv.compile({ type: 'string', format: 'id-card' });
    assert.equal(validate(idCard('110105', '20240615', '001')), true);
    assert.equal(validate(idCard('110105', '20240616', '001')), false);
  });

  it('without the formats, strict ajv refuses a schema naming them', () => {
    assert.throws(() => new Ajv2020({ strict: true }).compile({ type: 'string', format: 'id-card' }), /unknown format "id-card"/);
  });

  describe('geoPointSchema (GeoJSON Point, RFC 7946)', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(geoPointSchema);

    it('accepts lon/lat within bounds, edges included, with an optional altitude', () => {
      for (const coordinates of [[117.0009, 36.6758], [0, 0], [-180, -90], [180, 90], [120, 30, 15.5], [120, 30, -10], [113, 28, 0]]) {
        assert.equal(validate({ type: 'Point', coordinates }), true, JSON.stringify(coordinates));
      }
    });

    it('refuses out-of-range, swapped, missing or extra coordinates and any other member', () => {
      const bad: unknown[] = [
        { type: 'Point', coordinates: [180.0001, 30] }, { type: 'Point', coordinates: [-180.5, 30] },
        { type: 'Point', coordinates: [120, 90.1] }, { type: 'Point', coordinates: [120, -91] },
        { type: 'Point', coordinates: [36.6758, 117.0009] }, // lat/lon swapped
        { type: 'Point', coordinates: [120] }, { type: 'Point', coordinates: [] }, { type: 'Point', coordinates: [120, 30, 10, 1] },
        { type: 'Point', coordinates: ['117', '36'] }, { type: 'Point', coordinates: [120, 30, '10'] }, { type: 'Point', coordinates: null },
        { type: 'Point', coordinates: { lon: 120, lat: 30 } }, { type: 'Point' }, { coordinates: [120, 30] },
        { type: 'point', coordinates: [120, 30] }, { type: 'Polygon', coordinates: [120, 30] },
        { type: 'Point', coordinates: [120, 30], bbox: [120, 30, 120, 30] }, { type: 'Point', coordinates: [120, 30], crs: 'EPSG:4490' },
        [120, 30], '120,30', null,
      ];
      for (const value of bad) assert.equal(validate(value), false, JSON.stringify(value));
    });
  });
});
