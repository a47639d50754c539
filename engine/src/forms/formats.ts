/**
 * String formats of GridFlow forms, for ajv (JSON Schema 2020-12): 身份证号, 手机号, 统一社会信用代码,
 * 网格编码, 固定电话, the GeoJSON Point schema, and messages saying why a value fails, in users' words.
 * Values are checked in their canonical stored form (the UI normalises: no spaces, no dashes in
 * mobile numbers, capitals in credit codes). Each format's `problem` function is the single
 * source of truth: a value is valid exactly when it has no problem, so the message and the
 * validator never disagree.
 */
import type { LocalizedText } from '../i18n/localized-text.ts';
import { format } from '../i18n/localized-text.ts';
import {
  chinaDate, computeIdCardCheck, computeUsccCheck, isCalendarDate, provinceCodes, usccAlphabet, usccAuthorities,
} from './checksums.ts';

/** Check characters of ID card numbers and credit codes, for tests and demo data. */
export { computeIdCardCheck, computeUsccCheck } from './checksums.ts';

/** Names of the string formats forms may use in `"format"`. */
export const formatNames = ['id-card', 'mobile', 'uscc', 'grid-code', 'landline'] as const;
/** A string format of forms. */
export type FormatName = (typeof formatNames)[number];

/** Options of the checks: the clock deciding which birth dates are in the future (default: now). */
export interface FormatOptions {
  now?: () => Date;
}

/** An ajv format definition for strings (structurally ajv's FormatDefinition<string>). */
export interface StringFormat {
  type: 'string';
  validate: (value: string) => boolean;
}

/** What an ID card number tells: birth date, sex (17th digit odd: male) and the 6-digit region code. */
export interface IdCardInfo {
  birthDate: string;
  sex: 'male' | 'female';
  regionCode: string;
}

const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

/** A general message per format, for when no value is at hand. */
export const formatMessages: Record<FormatName, LocalizedText> = {
  'id-card': m('不是有效的身份证号（18 位，最后一位可为 X）', 'Not a valid ID card number (18 characters, the last may be X)'),
  mobile: m('不是有效的手机号（11 位数字，以 1 开头）', 'Not a valid mobile number (11 digits starting with 1)'),
  uscc: m('不是有效的统一社会信用代码（18 位数字或大写字母）', 'Not a valid unified social credit code (18 digits or capital letters)'),
  'grid-code': m('不是有效的网格编码（15 位：12 位社区编码加 3 位网格号）', 'Not a valid grid code (15 characters: the 12-digit community code and 3 for the grid)'),
  landline: m('不是有效的固定电话（区号-号码-分机，如 0531-88881234-801）', 'Not a valid landline number (area code-number-extension, e.g. 0531-88881234-801)'),
};

/** Every specific reason explainFormat can give, with {placeholders}. */
export const formatReasons = {
  length: m('{name}应为 {expected} 位（现为 {length} 位）', 'The {name} must have {expected} characters (this one has {length})'),
  char: m('{name}第 {position} 位{char}无效，应为{allowed}', 'Character {position} of the {name}, {char}, is invalid: expected {allowed}'),
  'idCard.province': m('身份证号前两位“{code}”不是有效的省份代码', 'The first two digits of the ID card number, "{code}", are not a province code'),
  'idCard.birthDate': m('身份证号中的出生日期 {date} 不存在', 'The birth date {date} in the ID card number does not exist'),
  'idCard.birthTooEarly': m('身份证号中的出生日期 {date} 早于 1900 年', 'The birth date {date} in the ID card number is before 1900'),
  'idCard.birthFuture': m('身份证号中的出生日期 {date} 晚于今天', 'The birth date {date} in the ID card number is in the future'),
  'idCard.check': m('身份证号不正确（校验位不符，可能有数字输错）', 'Not a valid ID card number (the check digit does not match: a digit may be mistyped)'),
  'mobile.countryCode': m('手机号请去掉国家码 {prefix}，只填 11 位号码', 'Leave out the country code {prefix}: enter the 11-digit number only'),
  'mobile.prefix': m('手机号应以 13–19 开头（现为“{start}”）', 'A mobile number starts with 13 to 19 (this one starts with "{start}")'),
  'uscc.excludedLetter': m('统一社会信用代码不使用字母 {letter}（第 {position} 位），是否应为“{suggestion}”？', 'Unified social credit codes never use the letter {letter} (character {position}): did you mean "{suggestion}"?'),
  'uscc.lowercase': m('统一社会信用代码中的字母应大写（第 {position} 位“{char}”）', 'Letters of a unified social credit code are capitals (character {position}, "{char}")'),
  'uscc.authority': m('统一社会信用代码第 1 位“{char}”不是登记管理部门代码（应为 1–9、A、N 或 Y）', 'The first character of the unified social credit code, "{char}", is not a registration authority code (1–9, A, N or Y)'),
  'uscc.orgType': m('统一社会信用代码第 2 位“{char}”不是机构类别代码（应为数字 1–9）', 'The second character of the unified social credit code, "{char}", is not an organisation type code (a digit 1–9)'),
  'uscc.region': m('统一社会信用代码第 3–8 位“{region}”应为 6 位数字的行政区划代码', 'Characters 3–8 of the unified social credit code, "{region}", must be a 6-digit region code'),
  'uscc.check': m('统一社会信用代码不正确（校验位不符，可能有字符输错）', 'Not a valid unified social credit code (the check character does not match: a character may be mistyped)'),
  'landline.areaCode': m('固定电话应以区号开头（0 开头的 3–4 位数字，如 0531-88881234）', 'A landline number starts with its area code (3 or 4 digits starting with 0, e.g. 0531-88881234)'),
  'landline.number': m('固定电话区号后的号码应为 7–8 位（现为 {length} 位）', 'The number after the area code must have 7 or 8 digits (this one has {length})'),
  'landline.extension': m('固定电话分机号最多 6 位（现为 {length} 位）', 'An extension has at most 6 digits (this one has {length})'),
  'landline.shape': formatMessages.landline,
  other: m('格式不正确（应为 {format} 格式）', 'Wrong format (expected {format})'),
} satisfies Record<string, LocalizedText>;

type ReasonCode = keyof typeof formatReasons;
interface Problem {
  code: ReasonCode;
  params?: Record<string, unknown>;
}

const names: Record<FormatName, LocalizedText> = {
  'id-card': m('身份证号', 'ID card number'),
  mobile: m('手机号', 'mobile number'),
  uscc: m('统一社会信用代码', 'unified social credit code'),
  'grid-code': m('网格编码', 'grid code'),
  landline: m('固定电话', 'landline number'),
};
const allowedText = {
  digit: m('数字', 'a digit'),
  idLast: m('数字或 X', 'a digit or X'),
  uscc: m('数字或大写字母（不含 I、O、Z、S、V）', 'a digit or a capital letter other than I, O, Z, S and V'),
  gridTail: m('数字或大写字母', 'a digit or a capital letter'),
  phone: m('数字或“-”', 'a digit or "-"'),
};

/** A character as shown inside a message: quoted, or named when it is invisible. */
const shown = (c: string): LocalizedText =>
  /\s/.test(c) ? m('（空格）', 'a space') : m(`“${c}”`, `"${c}"`);

const lengthProblem = (name: FormatName, expected: number, length: number): Problem =>
  ({ code: 'length', params: { name: names[name], expected, length } });

/** The first character (1-based position) not accepted by `ok`, as a `char` problem. */
function badChar(name: FormatName, chars: string[], ok: (c: string, i: number) => LocalizedText | undefined): Problem | undefined {
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const allowed = ok(c, i);
    if (allowed) return { code: 'char', params: { name: names[name], position: i + 1, char: shown(c), allowed } };
  }
  return undefined;
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isoDate = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

function idCardProblem(s: string, now: () => Date): Problem | undefined {
  const chars = [...s];
  const last = chars.length - 1;
  const wrongChar = badChar('id-card', chars, (c, i) =>
    (i === last ? isDigit(c) || c === 'X' || c === 'x' : isDigit(c)) ? undefined : i === last ? allowedText.idLast : allowedText.digit);
  if (wrongChar) return wrongChar;
  if (chars.length !== 18) return lengthProblem('id-card', 18, chars.length);
  if (!provinceCodes.has(s.slice(0, 2))) return { code: 'idCard.province', params: { code: s.slice(0, 2) } };
  const birth = s.slice(6, 14);
  const date = isoDate(birth);
  if (!isCalendarDate(Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8)))) {
    return { code: 'idCard.birthDate', params: { date } };
  }
  if (birth < '19000101') return { code: 'idCard.birthTooEarly', params: { date } };
  if (birth > chinaDate(now())) return { code: 'idCard.birthFuture', params: { date } };
  if (computeIdCardCheck(s.slice(0, 17)) !== s.charAt(17).toUpperCase()) return { code: 'idCard.check' };
  return undefined;
}

function mobileProblem(s: string): Problem | undefined {
  const prefix = ['+86', '0086'].find((p) => s.startsWith(p));
  if (prefix) return { code: 'mobile.countryCode', params: { prefix } };
  const chars = [...s];
  const wrongChar = badChar('mobile', chars, (c) => (isDigit(c) ? undefined : allowedText.digit));
  if (wrongChar) return wrongChar;
  if (chars.length !== 11) return lengthProblem('mobile', 11, chars.length);
  if (!/^1[3-9]\d{9}$/.test(s)) return { code: 'mobile.prefix', params: { start: s.slice(0, 2) } };
  return undefined;
}

const excludedLetters: Record<string, string> = { I: '1', O: '0', Z: '2', S: '5', V: 'U' };

function usccProblem(s: string): Problem | undefined {
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (usccAlphabet.includes(c)) continue;
    const upper = c.toUpperCase();
    const suggestion = excludedLetters[upper];
    if (suggestion) return { code: 'uscc.excludedLetter', params: { letter: upper, position: i + 1, suggestion } };
    if (upper !== c && usccAlphabet.includes(upper)) return { code: 'uscc.lowercase', params: { position: i + 1, char: c } };
    return badChar('uscc', chars, (x) => (usccAlphabet.includes(x) ? undefined : allowedText.uscc));
  }
  if (chars.length !== 18) return lengthProblem('uscc', 18, chars.length);
  if (!usccAuthorities.includes(s.charAt(0))) return { code: 'uscc.authority', params: { char: s.charAt(0) } };
  if (!/^[1-9]$/.test(s.charAt(1))) return { code: 'uscc.orgType', params: { char: s.charAt(1) } };
  if (!/^\d{6}$/.test(s.slice(2, 8))) return { code: 'uscc.region', params: { region: s.slice(2, 8) } };
  if (computeUsccCheck(s.slice(0, 17)) !== s.charAt(17)) return { code: 'uscc.check' };
  return undefined;
}

/** Grid codes as the org tree accepts them: the 12-digit community code, then 3 digits or capitals. */
function gridCodeProblem(s: string): Problem | undefined {
  const chars = [...s];
  const wrongChar = badChar('grid-code', chars, (c, i) =>
    i < 12 ? (isDigit(c) ? undefined : allowedText.digit) : /^[0-9A-Z]$/.test(c) ? undefined : allowedText.gridTail);
  if (wrongChar) return wrongChar;
  if (chars.length !== 15) return lengthProblem('grid-code', 15, chars.length);
  return undefined;
}

/** Area code 0 + 2–3 digits (never 00, the international prefix), optional dash, 7–8 digits, optional -extension. */
const landlinePattern = /^0[1-9]\d{1,2}-?\d{7,8}(-\d{1,6})?$/;

/** Explains dashed numbers part by part: "area-number[-ext]" or "areanumber-ext"; the pattern decides validity. */
function landlineProblem(s: string): Problem | undefined {
  const wrongChar = badChar('landline', [...s], (c) => (isDigit(c) || c === '-' ? undefined : allowedText.phone));
  if (wrongChar) return wrongChar;
  if (!/^0[1-9]/.test(s)) return { code: 'landline.areaCode' };
  const parts = s.split('-');
  const [first = '', second, third] = parts;
  const areaAlone = first.length <= 4 && second !== undefined;
  if (areaAlone && first.length < 3) return { code: 'landline.areaCode' };
  if (parts.length <= 3 && !parts.includes('') && (areaAlone || first.length >= 10)) {
    const number = areaAlone ? second : undefined;
    if (number !== undefined && (number.length < 7 || number.length > 8)) return { code: 'landline.number', params: { length: number.length } };
    const extension = areaAlone ? third : second;
    if (extension !== undefined && extension.length > 6) return { code: 'landline.extension', params: { length: extension.length } };
  }
  return landlinePattern.test(s) ? undefined : { code: 'landline.shape' };
}

function problemOf(name: FormatName, value: string, now: () => Date): Problem | undefined {
  switch (name) {
    case 'id-card': return idCardProblem(value, now);
    case 'mobile': return mobileProblem(value);
    case 'uscc': return usccProblem(value);
    case 'grid-code': return gridCodeProblem(value);
    case 'landline': return landlineProblem(value);
  }
}

const systemClock = () => new Date();

/** True for the name of one of these formats (ajv errors name formats as plain strings). */
export function isFormatName(name: string): name is FormatName {
  return (formatNames as readonly string[]).includes(name);
}

/** Why `value` fails format `name` (the specific reason, else the format's general message; any ajv format name). */
export function explainFormat(name: string, value: string, options: FormatOptions = {}): LocalizedText {
  if (!isFormatName(name)) return format(formatReasons.other, { format: name });
  const problem = problemOf(name, value, options.now ?? systemClock);
  return problem ? format(formatReasons[problem.code], problem.params) : formatMessages[name];
}

/** True when `value` is valid for format `name`. */
export function isValidFormat(name: FormatName, value: string, options: FormatOptions = {}): boolean {
  return problemOf(name, value, options.now ?? systemClock) === undefined;
}

/** The ajv formats with an injected clock, e.g. `new Ajv2020({ formats: createFormats({ now }) })`. */
export function createFormats(options: FormatOptions = {}): Record<FormatName, StringFormat> {
  const now = options.now ?? systemClock;
  const entries = formatNames.map((name) => [name, { type: 'string', validate: (s: string) => problemOf(name, s, now) === undefined }]);
  return Object.fromEntries(entries) as Record<FormatName, StringFormat>;
}

/** The ajv formats of forms on the system clock: `new Ajv2020({ formats })` or `ajv.addFormat(name, formats[name])`. */
export const formats: Record<FormatName, StringFormat> = createFormats();

/** Birth date, sex and region code of a valid ID card number; undefined when it is not valid. */
export function idCardInfo(s: string, options: FormatOptions = {}): IdCardInfo | undefined {
  if (!isValidFormat('id-card', s, options)) return undefined;
  return {
    birthDate: isoDate(s.slice(6, 14)),
    sex: Number(s.charAt(16)) % 2 === 1 ? 'male' : 'female',
    regionCode: s.slice(0, 6),
  };
}

const altitude = { type: 'number' } as const;
const longitude = { type: 'number', minimum: -180, maximum: 180 } as const;
const latitude = { type: 'number', minimum: -90, maximum: 90 } as const;

// Two full tuples under anyOf, not one prefixItems with an optional altitude: ajv's strict mode
// (strictTuples) rejects tuples of open length.
/** JSON Schema of a GeoJSON Point (RFC 7946): `type` and `coordinates` [lon, lat] or [lon, lat, altitude] only. */
export const geoPointSchema = {
  type: 'object',
  required: ['type', 'coordinates'],
  additionalProperties: false,
  properties: {
    type: { const: 'Point' },
    coordinates: {
      type: 'array',
      anyOf: [
        { prefixItems: [longitude, latitude], minItems: 2, maxItems: 2 },
        { prefixItems: [longitude, latitude, altitude], minItems: 3, maxItems: 3 },
      ],
    },
  },
} as const;
