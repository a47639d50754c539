/** Contracts of sign-in and the signed-in user (schemas are the types). */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

/** POST /api/auth/login */
export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  /** cookie (browsers, default) or bearer (API clients and the mobile web app). */
  mode: Type.Optional(Type.Union([Type.Literal('cookie'), Type.Literal('bearer')])),
}, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

/** POST /api/auth/password */
export const ChangePasswordBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

/** The signed-in user (GET /api/auth/me). */
export interface MeResponse {
  username: string;
  displayName: string;
  roles: string[];
  orgUnit: string;
  department?: string;
  grids: string[];
  mustChangePassword: boolean;
  /** For cookie sessions: send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE. */
  csrfToken?: string;
  sessionExpiresAt: string;
  /** The user's access rules (CASL, packed) so that UIs show only what the user may do. */
  rules: unknown[];
}

/** POST /api/auth/login */
export interface LoginResponse {
  me: MeResponse;
  /** Bearer mode only: the token for the Authorization header (shown once). */
  token?: string;
}
