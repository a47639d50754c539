/** The file types of a definitions package: where they live, their schema, and how overlays merge them. */
import type { LocalizedText } from '../i18n/localized-text.ts';

/** Identifier of a data file type. */
export type DataKindId =
  | 'manifest' | 'orgUnits' | 'boundaries' | 'departments' | 'roles' | 'users'
  | 'catalogue' | 'responsibilities' | 'calendar' | 'assessment' | 'access' | 'whistles';

/** A keyed collection inside a data file, merged entry by entry in overlays. */
export interface CollectionSpec {
  /** Label used in messages. */
  label: LocalizedText;
  /** The key of an entry (its code). */
  key(entry: Record<string, unknown>): string;
}

/** A data file type. */
export interface DataKind {
  id: DataKindId;
  /** Path without extension, e.g. `org/units`. */
  basename: string;
  extensions: readonly string[];
  /** Schema file name in definitions/schemas. */
  schema: string;
  /** Collections by shape path: `units`, `classes`, `classes.subclasses` (dots step into array items). */
  collections: Record<string, CollectionSpec>;
}

const label = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });
const byField = (field: string) => (e: Record<string, unknown>) => String(e[field] ?? '');
const yamlOrJson = ['.yaml', '.yml', '.json'] as const;

/** All data file types. */
export const dataKinds: readonly DataKind[] = [
  { id: 'manifest', basename: 'manifest', extensions: yamlOrJson, schema: 'manifest.schema.json', collections: {} },
  {
    id: 'orgUnits', basename: 'org/units', extensions: yamlOrJson, schema: 'org-units.schema.json',
    collections: { units: { label: label('组织节点', 'org unit'), key: byField('code') } },
  },
  {
    id: 'boundaries', basename: 'org/boundaries', extensions: ['.geojson', '.json'], schema: 'boundaries.schema.json',
    collections: {
      features: {
        label: label('边界', 'boundary'),
        key: (e) => String((e.properties as Record<string, unknown> | undefined)?.code ?? ''),
      },
    },
  },
  {
    id: 'departments', basename: 'departments', extensions: yamlOrJson, schema: 'departments.schema.json',
    collections: { departments: { label: label('部门', 'department'), key: byField('code') } },
  },
  {
    id: 'roles', basename: 'roles', extensions: yamlOrJson, schema: 'roles.schema.json',
    collections: { roles: { label: label('角色', 'role'), key: byField('code') } },
  },
  {
    id: 'access', basename: 'access', extensions: yamlOrJson, schema: 'access.schema.json',
    collections: {
      separationOfDuties: { label: label('职责分离规则', 'separation-of-duties rule'), key: byField('code') },
      sensitiveFields: { label: label('敏感字段', 'sensitive field'), key: (e) => `${String(e.subject ?? '')}.${String(e.field ?? '')}` },
    },
  },
  {
    id: 'users', basename: 'users', extensions: yamlOrJson, schema: 'users.schema.json',
    collections: { users: { label: label('用户', 'user'), key: byField('username') } },
  },
  {
    id: 'catalogue', basename: 'catalogue', extensions: yamlOrJson, schema: 'catalogue.schema.json',
    collections: {
      classes: { label: label('事件大类', 'event class'), key: byField('code') },
      'classes.subclasses': { label: label('事件小类', 'event subclass'), key: byField('code') },
    },
  },
  {
    id: 'responsibilities', basename: 'responsibilities', extensions: yamlOrJson, schema: 'responsibilities.schema.json',
    collections: {
      responsibilities: {
        label: label('职责清单条目', 'responsibility entry'),
        key: (e) => `${String(e.subclass ?? '')}${e.scope ? `@${String(e.scope)}` : ''}`,
      },
    },
  },
  {
    id: 'calendar', basename: 'calendar', extensions: yamlOrJson, schema: 'calendar.schema.json',
    collections: {
      years: { label: label('年度日历', 'calendar year'), key: byField('year') },
      'years.holidays': { label: label('节假日', 'holiday'), key: byField('name') },
      'years.workdays': { label: label('调休工作日', 'make-up workday'), key: byField('date') },
    },
  },
  {
    id: 'assessment', basename: 'assessment', extensions: yamlOrJson, schema: 'assessment.schema.json',
    collections: { indicators: { label: label('考核指标', 'indicator'), key: byField('code') } },
  },
  {
    id: 'whistles', basename: 'whistles', extensions: yamlOrJson, schema: 'whistles.schema.json',
    collections: { kinds: { label: label('吹哨类型', 'whistle kind'), key: byField('code') } },
  },
];

/** Folder of BPMN processes and its extension. */
export const processesFolder = 'processes/';
/** Folder of forms and their file suffix. */
export const formsFolder = 'forms/';
export const formSuffix = '.form.json';
