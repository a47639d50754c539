/** Types of a resolved definitions package (mirror definitions/schemas/*.schema.json). */
import type { FieldRule } from '../forms/field-rules.ts';
import type { WhistleTemplate } from '../whistle/whistle-template.ts';

export type OrgLevel = 'district' | 'street' | 'community' | 'grid';
export type HandlingLevel = 'community' | 'street' | 'district';
export type TimeLimitType = 'urgent' | 'workHours' | 'workDays' | 'naturalDays';

export interface Manifest {
  key: string;
  name: string;
  version: string;
  districtCode?: string;
  standard?: string;
  extends?: string;
  resolvedFrom?: string;
  description?: string;
  /** Key of the process a reported case starts (default `case-handling`). */
  intakeProcess?: string;
}

export interface OrgUnit {
  code: string;
  name: string;
  shortName?: string;
  level: OrgLevel;
  parent?: string;
  kind?: 'base' | 'department';
  population?: number;
  households?: number;
  area?: number;
}

export type Ring = number[][];
export interface Geometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: Ring[] | Ring[][];
}
export interface BoundaryFeature {
  type: 'Feature';
  properties: { code: string } & Record<string, unknown>;
  geometry: Geometry;
}

export interface Department {
  code: string;
  name: string;
  shortName?: string;
  kind?: 'functional' | 'utility' | 'street-office';
  orgUnit: string;
  phone?: string;
}

export interface Role {
  code: string;
  name: string;
  nameEn?: string;
  scope: RoleScope;
  description?: string;
  permissions?: Permission[];
}

/** The org level a role's holder works at. */
export type RoleScope = 'grid' | 'community' | 'street' | 'district' | 'department' | 'self';
/** What access rules are about. */
export type AccessSubject = 'Case' | 'Task' | 'User' | 'OrgUnit' | 'Definition' | 'AuditRecord' | 'RegisterRecord';
/** What a user may do to a subject. */
export type AccessAction = 'read' | 'report' | 'complete' | 'claim' | 'unmask' | 'administer' | 'publish' | 'export' | 'verify' | 'edit' | 'import' | 'merge' | 'suspend' | 'coordinate' | 'supervise' | 'whistle';
/** A user's relation to an object. */
export type AccessRelation = 'reporter' | 'assignee' | 'candidate' | 'handler' | 'whistle' | 'cc' | 'self';
/** Kinds of personal data, each with its own masking. */
export type SensitiveKind = 'idNumber' | 'phone' | 'name' | 'address' | 'gps' | 'specialPopulation';

/** One permission of a role: actions on a subject, optionally limited by org scope, relation and fields. */
export interface Permission {
  actions: AccessAction[];
  subject: AccessSubject;
  within?: 'scope' | 'grid' | 'community' | 'street' | 'district' | 'department';
  relations?: AccessRelation[];
  /** Fields the permission covers; for RegisterRecord `unmask`, the sensitive kinds (idNumber, phone …). */
  fields?: string[];
  /** RegisterRecord only: the registers (record type codes) the permission covers; all when absent. */
  registers?: string[];
}

/** A separation-of-duties rule: forbids actions to users with a relation to the object. */
export interface SeparationOfDutiesRule {
  code: string;
  name: string;
  nameEn?: string;
  actions: AccessAction[];
  subject: AccessSubject;
  relations: AccessRelation[];
  tasks?: string[];
}

/** A field holding personal data. */
export interface SensitiveField {
  subject: AccessSubject;
  field: string;
  kind: SensitiveKind;
}

export interface UserSeed {
  username: string;
  name: string;
  orgUnit: string;
  roles: string[];
  grids?: string[];
  department?: string;
  phone?: string;
}

export interface TimeLimitStage {
  name: string;
  amount: number;
  type: TimeLimitType;
}
export interface TimeLimit {
  type: TimeLimitType;
  amount: number;
  stages?: TimeLimitStage[];
}

export interface Subclass {
  code: string;
  name: string;
  registrationConditions: { text: string; timeLimit?: TimeLimit }[];
  timeLimit: TimeLimit;
  closingConditions: string[];
  level: HandlingLevel;
  urgent?: boolean;
}
export interface EventClass {
  code: string;
  name: string;
  subclasses: Subclass[];
}

export interface Responsibility {
  subclass: string;
  scope?: string;
  level: HandlingLevel;
  departments: { code: string; role: 'primary' | 'assisting' }[];
  basis?: string;
  timeLimit?: TimeLimit;
}

export interface WorkingCalendar {
  timezone: string;
  workHours: { start: string; end: string }[];
  years: { year: number; holidays?: { name: string; dates: string[] }[]; workdays?: { date: string; reason?: string }[] }[];
}

export interface AssessmentProfile {
  indicators: { code: string; name: string; weight: number; inverse?: boolean }[];
  bands: { grade: string; min: number }[];
}

/** A relation from a register's records to another register's (人房关联: person → house). */
export interface RegisterRelation {
  code: string;
  name: string;
  /** Code of the target register. */
  target: string;
  /** Name of the relation seen from the target (居住人员). */
  inverseName: string;
  /** Kinds a link may have (户主, 家庭成员, 租住 …); free of kind when absent. */
  kinds?: string[];
}

/** A form that defines a register (台账): its records are kept, searched and versioned. */
export interface RegisterSpec {
  /** Code of the record type (population, house …). */
  code: string;
  name: string;
  /** The field shown as a record's title (e.g. the name or the address). */
  titleField: string;
  /** The field holding the record's grid code: records are scoped by it like cases. */
  gridField: string;
  /** Fields whose values identify a record: two records with the same values are refused. */
  identityFields?: string[];
  /** Fields lists may be filtered by (string, enum, boolean or integer fields). */
  filterFields?: string[];
  relations?: RegisterRelation[];
}

/** A form definition: JSON Schema with Formily x-* keys and GridFlow's field rules. */
export interface FormDefinition {
  key: string;
  name: string;
  version: number;
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  'x-field-rules'?: FieldRule[];
  'x-register'?: RegisterSpec;
  [extra: string]: unknown;
}

/** The data of a resolved package, by file kind. */
export interface PackageData {
  orgUnits?: { units: OrgUnit[] };
  boundaries?: { type: 'FeatureCollection'; features: BoundaryFeature[] };
  departments?: { departments: Department[] };
  roles?: { roles: Role[] };
  users?: { users: UserSeed[] };
  catalogue?: { classes: EventClass[] };
  responsibilities?: { responsibilities: Responsibility[] };
  calendar?: WorkingCalendar;
  assessment?: AssessmentProfile;
  access?: { separationOfDuties?: SeparationOfDutiesRule[]; sensitiveFields?: SensitiveField[] };
  /** The whistle template (吹哨): the `whistle` process is generated from it. */
  whistles?: WhistleTemplate;
}

/** A resolved (base + overlay) and validated definitions package: what gets published. */
export interface ResolvedPackage {
  manifest: Manifest;
  data: PackageData;
  /** BPMN XML by path inside the package (e.g. `processes/event-closed-loop.bpmn`). */
  processes: Record<string, string>;
  /** Forms by path inside the package (e.g. `forms/event-report.form.json`). */
  forms: Record<string, FormDefinition>;
}
