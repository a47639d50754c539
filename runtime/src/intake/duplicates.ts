/**
 * Possible duplicates: open cases (starting or running) of the same event type reported within a
 * radius (great-circle distance) during a recent window. Found at intake, kept in `case_duplicates`,
 * and shown only as far as the user may read the other cases.
 */
import type { Knex } from 'knex';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import type { DuplicateView } from '../contracts/intake.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { isoOf } from '../db/values.ts';
import type { LonLat } from './intake-place.ts';

/** Case statuses that count as open. */
export const OPEN_STATUSES = ['starting', 'running'];
const EARTH_RADIUS_M = 6_371_008.8;
const METERS_PER_DEGREE = 111_320;
/** At most this many candidates are flagged per report (the nearest). */
const MAX_CANDIDATES = 20;

/** A flagged candidate. */
export interface DuplicateCandidate {
  caseId: string;
  distanceM: number;
}


/** Great-circle distance in metres between two [lon, lat] points (haversine). */
export function haversineMeters([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Open cases of the event type near the point and recent enough, nearest first. */
export async function findDuplicates(
  db: Knex, report: { eventType: string; point: LonLat }, now: Date, settings: { radiusM: number; windowHours: number },
): Promise<DuplicateCandidate[]> {
  const [lon, lat] = report.point;
  const dLat = settings.radiusM / METERS_PER_DEGREE;
  const dLon = settings.radiusM / (METERS_PER_DEGREE * Math.max(0.01, Math.cos(lat * Math.PI / 180)));
  const rows = await db('cases').where({ event_type: report.eventType }).whereIn('status', OPEN_STATUSES)
    .where('created_at', '>=', new Date(now.getTime() - settings.windowHours * 3_600_000))
    .whereBetween('location_lat', [lat - dLat, lat + dLat]).whereBetween('location_lon', [lon - dLon, lon + dLon])
    .select('id', 'location_lon', 'location_lat') as { id: string; location_lon: number; location_lat: number }[];
  return rows.map((r) => ({ caseId: r.id, distanceM: Math.round(haversineMeters(report.point, [Number(r.location_lon), Number(r.location_lat)])) }))
    .filter((c) => c.distanceM <= settings.radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || a.caseId.localeCompare(b.caseId))
    .slice(0, MAX_CANDIDATES);
}

/** Flags the candidates of a new case (inside the intake transaction). */
export async function storeDuplicates(trx: Knex.Transaction, caseId: string, candidates: DuplicateCandidate[], now: Date): Promise<void> {
  if (candidates.length === 0) return;
  await trx('case_duplicates').insert(candidates.map((c) => ({ case_id: caseId, candidate_id: c.caseId, distance_m: c.distanceM, created_at: now })));
}

/** The candidates the user may read, with what the API shows of them. */
export async function visibleDuplicates(db: Knex, user: SignedInUser, candidates: DuplicateCandidate[]): Promise<DuplicateView[]> {
  if (candidates.length === 0) return [];
  const rows = await whereAllowed(db('cases').whereIn('cases.id', candidates.map((c) => c.caseId)), user.ability, 'read', 'Case', caseSql, user.principal)
    .select('cases.id', 'cases.title', 'cases.status', 'cases.created_at') as { id: string; title: string | null; status: string; created_at: unknown }[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return candidates.flatMap((c) => {
    const r = byId.get(c.caseId);
    return r ? [{ ...c, title: r.title, status: r.status, reportedAt: isoOf(r.created_at) }] : [];
  });
}

/** The cases flagged as possible duplicates of a case, either way round. */
export async function flaggedWith(db: Knex, caseId: string): Promise<DuplicateCandidate[]> {
  const rows = await db('case_duplicates').where({ case_id: caseId }).orWhere({ candidate_id: caseId })
    .orderBy('distance_m').select('case_id', 'candidate_id', 'distance_m') as { case_id: string; candidate_id: string; distance_m: number }[];
  return rows.map((r) => ({ caseId: r.case_id === caseId ? r.candidate_id : r.case_id, distanceM: Number(r.distance_m) }));
}
