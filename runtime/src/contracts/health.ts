/** Contract of the health check. */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

/** GET /api/health (status 503 with the same body while the engine is down). */
export const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  engine: Type.Optional(Type.Union([Type.Literal('up'), Type.Literal('down')])),
}, { additionalProperties: false });
export type HealthResponse = Static<typeof HealthResponse>;

