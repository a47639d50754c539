/**
 * What the active definitions say, for the runtime's decisions: the event catalogue, the
 * responsibility list, the departments, the working calendar and the assessment profile of the
 * package in use for a district. Loaded once per definitions state (keyed by its fingerprint).
 */
import type { Knex } from 'knex';
import type {
  AssessmentProfile, Department, EventClass, ResolvedPackage, Responsibility, Subclass, WorkingCalendar,
} from '@gridflow/engine';
import { DefinitionsStore, definitionsFingerprint } from './definitions.store.ts';

/** The definitions in use for one district (a leaf package: a district resolved over its base). */
export class DistrictDefinitions {
  private readonly subclasses = new Map<string, { subclass: Subclass; eventClass: EventClass }>();
  private readonly responsibilities = new Map<string, Responsibility[]>();
  private readonly departmentsByCode = new Map<string, Department>();

  constructor(readonly pkg: ResolvedPackage) {
    for (const c of pkg.data.catalogue?.classes ?? []) for (const s of c.subclasses) this.subclasses.set(s.code, { subclass: s, eventClass: c });
    for (const r of pkg.data.responsibilities?.responsibilities ?? []) {
      const list = this.responsibilities.get(r.subclass) ?? [];
      list.push(r);
      this.responsibilities.set(r.subclass, list);
    }
    for (const d of pkg.data.departments?.departments ?? []) this.departmentsByCode.set(d.code, d);
  }

  get key(): string { return this.pkg.manifest.key; }
  get districtCode(): string | undefined { return this.pkg.manifest.districtCode; }

  /** A subclass of the catalogue with its class, or undefined. */
  subclass(code: string): { subclass: Subclass; eventClass: EventClass } | undefined {
    return this.subclasses.get(code);
  }

  /**
   * The responsibility list entry for a subclass at a place: an entry scoped to the place's grid,
   * community or street (the most specific wins) before the unscoped one.
   */
  responsibility(subclass: string, place: { gridCode?: string | null; communityCode?: string | null; streetCode?: string | null }): Responsibility | undefined {
    const entries = this.responsibilities.get(subclass) ?? [];
    for (const code of [place.gridCode, place.communityCode, place.streetCode]) {
      const scoped = code ? entries.find((e) => e.scope === code) : undefined;
      if (scoped) return scoped;
    }
    return entries.find((e) => !e.scope);
  }

  /** A department by code, or undefined. */
  department(code: string): Department | undefined {
    return this.departmentsByCode.get(code);
  }

  departments(): Department[] {
    return [...this.departmentsByCode.values()];
  }

  calendar(): WorkingCalendar | undefined {
    return this.pkg.data.calendar;
  }

  assessmentProfile(): AssessmentProfile | undefined {
    return this.pkg.data.assessment;
  }
}

/** The active definitions of every district in use. */
export class ActiveDefinitions {
  constructor(readonly districts: DistrictDefinitions[]) {}

  /** The definitions of a district: the leaf package naming it, else the only leaf there is. */
  forDistrict(districtCode: string | null | undefined): DistrictDefinitions | undefined {
    const named = districtCode ? this.districts.find((d) => d.districtCode === districtCode) : undefined;
    return named ?? (this.districts.length === 1 ? this.districts[0] : undefined);
  }
}

const cache = new WeakMap<Knex, { fingerprint: string; value: Promise<ActiveDefinitions> }>();

/** The active definitions, cached per database until something is published or activated. */
export async function activeDefinitions(db: Knex): Promise<ActiveDefinitions> {
  const fingerprint = await definitionsFingerprint(db);
  const cached = cache.get(db);
  if (cached?.fingerprint === fingerprint) return cached.value;
  const value = load(db);
  cache.set(db, { fingerprint, value });
  value.catch(() => cache.delete(db));
  return value;
}

async function load(db: Knex): Promise<ActiveDefinitions> {
  const store = new DefinitionsStore(db);
  const districts: DistrictDefinitions[] = [];
  for (const leaf of await store.activeLeaves()) {
    const pkg = await store.find(leaf.key, leaf.version);
    if (pkg) districts.push(new DistrictDefinitions(pkg));
  }
  return new ActiveDefinitions(districts);
}
