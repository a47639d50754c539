/** Contracts of the cases API (schemas are the types). */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Nullable, PageOf } from './common.ts';

/** A case as the API shows it (personal data masked unless the user may see it in clear). */
export const CaseView = Type.Object({
  id: Type.String(),
  title: Nullable(Type.String()),
  status: Type.String(),
  processKey: Type.String({ description: 'Key of the BPMN process the case runs' }),
  gridCode: Nullable(Type.String()),
  communityCode: Nullable(Type.String()),
  streetCode: Nullable(Type.String()),
  reporterName: Nullable(Type.String({ description: 'Masked unless the user may unmask it' })),
  reporterPhone: Nullable(Type.String({ description: 'Masked unless the user may unmask it' })),
  address: Nullable(Type.String()),
  location: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number() }, { additionalProperties: false })),
  eventType: Nullable(Type.String({ description: 'Subclass code of the event catalogue' })),
  channel: Nullable(Type.String({ description: 'Intake channel: grid, citizen, hotline, staff or api' })),
  mergedInto: Nullable(Type.String({ description: 'The case this one was merged into' })),
  createdAt: Type.String({ format: 'date-time' }),
}, { additionalProperties: false });
export type CaseView = Static<typeof CaseView>;

/** GET /api/cases */
export const CaseList = PageOf(CaseView);
export type CaseList = Static<typeof CaseList>;
