/**
 * The bpmnlint rules of its `recommended` configuration that make sense for processes GridFlow
 * executes, with the severities that configuration gives them. Left out, and why:
 * - no-bpmndi, no-overlapping-elements: diagram layout, not execution; a process without a diagram
 *   (generated, or written by hand in tests and templates) deploys and runs the same.
 * - superfluous-label: a label on an unconditional flow is cosmetic.
 * - no-inclusive-gateway: Operaton / Camunda 7 execute inclusive gateways; the rule is for engines that do not.
 */
import type { RuleConfigs, RuleFactory } from 'bpmnlint/lib/types';
import recommended from 'bpmnlint/config/recommended';
import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process';
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway';
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event';
import fakeJoin from 'bpmnlint/rules/fake-join';
import global from 'bpmnlint/rules/global';
import labelRequired from 'bpmnlint/rules/label-required';
import linkEvent from 'bpmnlint/rules/link-event';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination';

/** The rule implementations, by bpmnlint rule name. */
export const recommendedRules: Readonly<Record<string, RuleFactory>> = {
  'ad-hoc-sub-process': adHocSubProcess,
  'conditional-flows': conditionalFlows,
  'end-event-required': endEventRequired,
  'event-based-gateway': eventBasedGateway,
  'event-sub-process-typed-start-event': eventSubProcessTypedStartEvent,
  'fake-join': fakeJoin,
  'global': global,
  'label-required': labelRequired,
  'link-event': linkEvent,
  'no-complex-gateway': noComplexGateway,
  'no-disconnected': noDisconnected,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'no-gateway-join-fork': noGatewayJoinFork,
  'no-implicit-end': noImplicitEnd,
  'no-implicit-split': noImplicitSplit,
  'no-implicit-start': noImplicitStart,
  'single-blank-start-event': singleBlankStartEvent,
  'single-event-definition': singleEventDefinition,
  'start-event-required': startEventRequired,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'superfluous-gateway': superfluousGateway,
  'superfluous-termination': superfluousTermination,
};

/** Recommended rules GridFlow does not run, with the reason (see the file comment). */
export const leftOutRules: Readonly<Record<string, string>> = {
  'no-bpmndi': 'diagram layout, not execution',
  'no-overlapping-elements': 'diagram layout, not execution',
  'superfluous-label': 'cosmetic',
  'no-inclusive-gateway': 'Operaton / Camunda 7 execute inclusive gateways',
};

/** The severities bpmnlint's recommended configuration gives the rules GridFlow runs. */
export const recommendedSeverities: RuleConfigs = Object.fromEntries(
  Object.entries(recommended.rules ?? {}).filter(([name]) => name in recommendedRules),
);
