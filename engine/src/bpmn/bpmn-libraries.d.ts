// Declarations for the parts of bpmn-moddle and bpmnlint that GridFlow uses. Neither package ships
// types for its entry point: bpmn-moddle 10 exports a named class (the older @types/bpmn-moddle
// describes a default export), and bpmnlint types only its rule API (bpmnlint/lib/types).

declare module 'bpmn-moddle' {
  /** A problem bpmn-moddle met while reading XML it could still mostly understand. */
  export interface ModdleImportWarning {
    message: string;
    element?: unknown;
    property?: string;
    value?: unknown;
  }

  /** What `fromXML` returns: the model tree, every element by id, and the import warnings. */
  export interface ModdleImportResult {
    rootElement: unknown;
    elementsById: Record<string, unknown>;
    warnings: ModdleImportWarning[];
  }

  /** Reads BPMN 2.0 XML into a moddle tree, with extension packages (e.g. camunda). */
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ModdleImportResult>;
  }
}

declare module 'bpmnlint' {
  import type { Config, Report, Resolver } from 'bpmnlint/lib/types';

  /** One report of a rule, with the category the rule was configured with. */
  export type LintReport = Report & { category: 'error' | 'warn' | 'info' | 'rule-error' };

  /** Runs the configured rules over a moddle tree; results are keyed by rule name. */
  export class Linter {
    constructor(options: { config?: Config; resolver: Resolver });
    lint(moddleRoot: unknown, config?: Config): Promise<Record<string, LintReport[]>>;
  }
}

declare module 'bpmnlint/rules/*' {
  import type { RuleFactory } from 'bpmnlint/lib/types';

  const factory: RuleFactory;
  export default factory;
}

declare module 'bpmnlint/config/*' {
  import type { Config } from 'bpmnlint/lib/types';

  const config: Config;
  export default config;
}
