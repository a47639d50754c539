/** Contracts of the org API beyond units: the departments of the definitions in use. */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

/** A department (functional, utility or street office) a case can be dispatched to. */
export const DepartmentSummarySchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  shortName: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
}, { additionalProperties: false });
export type DepartmentSummary = Static<typeof DepartmentSummarySchema>;

/** GET /api/org/departments */
export const DepartmentsResponseSchema = Type.Object({ departments: Type.Array(DepartmentSummarySchema) }, { additionalProperties: false });
export type DepartmentsResponse = Static<typeof DepartmentsResponseSchema>;
