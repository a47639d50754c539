/** Contracts shared by many endpoints: the error body, plain acknowledgements and lists. */
import { Type } from '@sinclair/typebox';
import type { Static, TSchema } from '@sinclair/typebox';

/** One problem of a refused request: the field, file or parameter it is about, where in it, and what is wrong. */
export const ApiErrorDetail = Type.Object({
  target: Type.Optional(Type.String({ description: 'Field, file or parameter, e.g. `/body/values/phone`' })),
  where: Type.Optional(Type.String({ description: 'JSON pointer or line within the target' })),
  message: Type.String(),
});
export type ApiErrorDetail = Static<typeof ApiErrorDetail>;

/** Error body of every refused or failed request (the message in the language of Accept-Language). */
export const ApiError = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable machine-readable code, e.g. `request.invalid`, `auth.forbidden`, `notFound`' }),
    message: Type.String(),
    details: Type.Optional(Type.Array(ApiErrorDetail)),
    requestId: Type.String({ description: 'Quote it when reporting a problem: the server logs it' }),
  }),
}, { title: 'Error' });
export type ApiError = Static<typeof ApiError>;

/** The answer of commands that return nothing else. */
export const OkResponse = Type.Object({ ok: Type.Literal(true) }, { additionalProperties: false });
export type OkResponse = Static<typeof OkResponse>;

/** A value or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** One page of a list and the number of items the whole list holds. */
export const PageOf = <T extends TSchema>(item: T) => Type.Object({
  items: Type.Array(item),
  total: Type.Integer({ minimum: 0, description: 'Items matching the query in all pages' }),
}, { additionalProperties: false });
