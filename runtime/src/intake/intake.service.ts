/**
 * Case intake (受理): a checked report becomes a case in one transaction (the case as `starting`, its
 * reporter, the idempotency record, a tracking code, the possible duplicates, the reporter's uploads
 * and the audit record); then its process instance is started through CasesService. When the engine
 * is down the case stays accepted as `starting` and the reconciler starts it later.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { transactionRetryingDeadlocks } from '../db/transaction.ts';
import { appendCaseEvent, timelineActor } from '../timeline/timeline.store.ts';
import type { Logger } from 'pino';
import { UserError } from '@gridflow/engine';
import type { IntakeConfig } from '../config.ts';
import { AuditLog } from '../audit/audit.store.ts';
import { CasesService, startClaimUntil } from '../cases/cases.service.ts';
import { linkSubmissionAttachments } from '../forms/form-attachments.ts';
import { FormRegistry } from '../forms/form-registry.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf } from '../http/scoped.ts';
import { isUniqueViolation } from '../registers/registers.service.ts';
import type { EngineStatus } from '../server/app.ts';
import type { DuplicateView, ReportResponse } from '../contracts/intake.ts';
import { findDuplicates, storeDuplicates, visibleDuplicates } from './duplicates.ts';
import type { DuplicateCandidate } from './duplicates.ts';
import { findIntake, recordIntake, replayable, requestDigest } from './idempotency.ts';
import type { IntakeRecord } from './idempotency.ts';
import { checkReport } from './intake-check.ts';
import type { CheckedReport } from './intake-check.ts';
import { IntakeDefinitionsLoader } from './intake-definitions.ts';
import { issueTrackingCode } from './tracking.ts';

/** Where a report came from. */
export type Channel = 'grid' | 'citizen' | 'hotline' | 'staff' | 'api';
/** The channels, for schemas. */
export const CHANNELS: readonly Channel[] = ['grid', 'citizen', 'hotline', 'staff', 'api'];
/** The channel of each reporting role (other roles report as `staff`). */
const ROLE_CHANNELS: [string, Channel][] = [['hotline-operator', 'hotline'], ['grid-worker', 'grid'], ['citizen', 'citizen']];
/** Channels whose reporters get a tracking code (anonymous reports always get one). */
const TRACKED_CHANNELS = new Set<Channel>(['citizen', 'hotline', 'api']);

/** A report as the API receives it. */
export interface ReportRequest {
  key: string;
  values: Record<string, unknown>;
  channel?: Channel;
}

/** What the idempotency record keeps of a response. */
interface StoredResponse {
  caseId: string;
  tracked: boolean;
  possibleDuplicates: DuplicateView[];
}

/** The channel of a report: the reporter's own, or `api` for clients signed in with a bearer token. */
export function channelOf(user: SignedInUser, asked: Channel | undefined): Channel {
  const own = ROLE_CHANNELS.find(([role]) => user.principal.roles.includes(role))?.[1] ?? 'staff';
  if (!asked || asked === own) return own;
  if (asked === 'api' && user.session.kind === 'bearer') return 'api';
  throw new UserError('intake.channel', { 'zh-CN': `不能以“${asked}”渠道上报`, en: `You cannot report through channel "${asked}"` }, {
    details: [{ target: '/body/channel', message: { 'zh-CN': `您的渠道为“${own}”；接口客户端（Bearer 令牌）可用“api”`, en: `Your channel is "${own}"; API clients (bearer tokens) may use "api"` } }],
  });
}

/** Case intake. */
export class IntakeService {
  private readonly forms: FormRegistry;
  private readonly definitions: IntakeDefinitionsLoader;

  constructor(
    private readonly db: Knex, private readonly engine: EngineStatus | undefined, private readonly settings: IntakeConfig,
    private readonly clock: () => Date, private readonly logger?: Logger,
  ) {
    this.forms = new FormRegistry(db);
    this.definitions = new IntakeDefinitionsLoader(db);
  }

  /** Accepts a report (or replays the one its idempotency key recorded). */
  async report(user: SignedInUser, ctx: RequestContext, request: ReportRequest): Promise<{ response: ReportResponse; replayed: boolean }> {
    const userId = user.principal.userId;
    const digest = requestDigest({ values: request.values, channel: request.channel ?? null });
    const earlier = await findIntake(this.db, userId, request.key);
    if (earlier) return { response: await this.replay(replayable(earlier, digest)), replayed: true };
    const channel = channelOf(user, request.channel);
    const checked = await checkReport(this.db, this.forms, this.definitions, user, request.values);
    const now = this.clock();
    const candidates = checked.point ? await findDuplicates(this.db, { eventType: checked.subclass.code, point: checked.point }, now, {
      radiusM: this.settings.duplicateRadiusMeters, windowHours: this.settings.duplicateWindowHours,
    }) : [];
    const caseId = randomUUID();
    const tracked = TRACKED_CHANNELS.has(channel) || checked.values.anonymous === true;
    const stored: StoredResponse = { caseId, tracked, possibleDuplicates: await visibleDuplicates(this.db, user, candidates) };
    const variables = startVariables(caseId, user, checked, channel);
    let trackingCode: string | undefined;
    try {
      await transactionRetryingDeadlocks(this.db, async (trx) => {
        trackingCode = undefined;
        await recordIntake(trx, userId, request.key, { caseId, digest, response: { ...stored } }, now);
        await this.insertCase(trx, { caseId, user, checked, channel, variables, now });
        if (tracked) trackingCode = await issueTrackingCode(trx, caseId, now);
        await storeDuplicates(trx, caseId, candidates, now);
        await linkSubmissionAttachments(trx, checked.attachments, caseId, userId, now);
        await this.audit(trx, user, ctx, caseId, { channel, checked, candidates, now });
        await appendCaseEvent(trx, {
          caseId, kind: 'case.reported', at: now, sourceKey: `intake:${caseId}`, details: { channel, eventType: checked.subclass.code },
          // An anonymous report keeps its reporter out of the timeline too.
          actor: checked.values.anonymous === true ? null : timelineActor(user),
          attachments: checked.attachments,
        });
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const winner = await findIntake(this.db, userId, request.key);
      if (!winner) throw e;
      return { response: await this.replay(replayable(winner, digest)), replayed: true };
    }
    const status = await this.start(caseId, checked.definitions.processKey, variables);
    return { response: { caseId, status, ...(trackingCode ? { trackingCode } : {}), possibleDuplicates: stored.possibleDuplicates }, replayed: false };
  }

  /** The response of a recorded request; a tracked report gets a new code (the first one is not kept in clear). */
  private async replay(record: IntakeRecord): Promise<ReportResponse> {
    const stored = record.response as unknown as StoredResponse;
    const row = await this.db('cases').where({ id: record.caseId }).first('status') as { status: string } | undefined;
    const trackingCode = stored.tracked ? await issueTrackingCode(this.db, record.caseId, this.clock()) : undefined;
    return { caseId: record.caseId, status: row?.status ?? 'starting', ...(trackingCode ? { trackingCode } : {}), possibleDuplicates: stored.possibleDuplicates };
  }

  private engineUp(): boolean {
    return Boolean(this.engine?.connection) && this.engine?.status !== 'down';
  }

  private async insertCase(trx: Knex.Transaction, c: { caseId: string; user: SignedInUser; checked: CheckedReport; channel: Channel; variables: Record<string, unknown>; now: Date }): Promise<void> {
    const { values, place, point, subclass, validator } = c.checked;
    const address = typeof values.address === 'string' ? values.address : null;
    const title = typeof values.title === 'string' && values.title.trim() ? values.title : address ? `${subclass.name}（${address}）` : subclass.name;
    await trx('cases').insert({
      id: c.caseId, process_definition_key: c.checked.definitions.processKey, status: 'starting', org_unit_code: place.gridCode,
      start_variables: JSON.stringify(c.variables), created_at: c.now, updated_at: c.now, start_claimed_until: this.engineUp() ? startClaimUntil(c.now) : null,
      title: title.slice(0, 255), grid_code: place.gridCode, community_code: place.communityCode, street_code: place.streetCode, district_code: place.districtCode,
      reporter_name: typeof values.reporterName === 'string' ? values.reporterName : null, reporter_phone: typeof values.reporterPhone === 'string' ? values.reporterPhone : null,
      address, location_lon: point?.[0] ?? null, location_lat: point?.[1] ?? null,
      form_key: validator.form.key, form_version: validator.form.version, form_values: JSON.stringify(values), event_type: subclass.code, channel: c.channel,
    });
    await trx('case_parties').insert({ case_id: c.caseId, relation: 'reporter', user_id: c.user.principal.userId, created_at: c.now });
  }

  private async audit(trx: Knex.Transaction, user: SignedInUser, ctx: RequestContext, caseId: string, r: { channel: Channel; checked: CheckedReport; candidates: DuplicateCandidate[]; now: Date }): Promise<void> {
    await new AuditLog(this.db).append(trx, {
      occurredAt: r.now.toISOString(), actor: actorOf(user), action: 'case.report', target: { type: 'case', id: caseId }, outcome: 'success', ...clientOf(ctx),
      details: {
        channel: r.channel, eventType: r.checked.subclass.code, gridCode: r.checked.place.gridCode, anonymous: r.checked.values.anonymous === true,
        selfHandled: r.checked.values.selfHandled === true, attachments: r.checked.attachments.length, possibleDuplicates: r.candidates.map((c) => c.caseId),
      },
    });
  }

  /** Starts the instance when the engine is up; otherwise (or when the start fails) the reconciler will. */
  private async start(caseId: string, processKey: string, variables: Record<string, unknown>): Promise<string> {
    const engine = this.engine;
    if (!engine?.connection || !this.engineUp()) return 'starting';
    try {
      await new CasesService(this.db, engine.connection, this.clock).startAccepted(caseId, processKey, variables);
      return 'running';
    } catch (e) {
      this.logger?.warn({ err: e, caseId }, 'could not start the process of an accepted case; the reconciler will start it');
      return 'starting';
    }
  }
}

/** The process variables a report starts its process with. */
function startVariables(caseId: string, user: SignedInUser, checked: CheckedReport, channel: Channel): Record<string, unknown> {
  const { values, place, subclass } = checked;
  return {
    caseId, eventType: subclass.code, ...place, channel,
    selfHandled: values.selfHandled === true, urgent: values.urgent === true || subclass.urgent === true,
    reporterUsername: values.anonymous === true ? null : user.principal.username,
  };
}
