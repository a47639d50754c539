/**
 * What bpmnlint runs for GridFlow: the chosen recommended rules plus GridFlow's own, handed to the
 * Linter through a resolver object (no plugin package to install or look up).
 */
import type { Config, Resolver, RuleFactory } from 'bpmnlint/lib/types';
import { recommendedRules, recommendedSeverities } from './recommended-rules.ts';
import { externalTopicBoundRule } from './rules/external-topic-bound.rule.ts';
import { juelSubsetRule } from './rules/juel-subset.rule.ts';
import { noJavaDelegateRule } from './rules/no-java-delegate.rule.ts';
import { noScriptTaskRule } from './rules/no-script-task.rule.ts';
import { reachabilityRule } from './rules/reachability.rule.ts';
import { userTaskFormAndCandidatesRule } from './rules/user-task-form-and-candidates.rule.ts';

/** The rule-name prefix of GridFlow's rules (bpmnlint reads `gridflow/x` as plugin `bpmnlint-plugin-gridflow`). */
export const gridflowRulePrefix = 'gridflow/';

const gridflowRules: Readonly<Record<string, RuleFactory>> = {
  'no-script-task': noScriptTaskRule,
  'no-java-delegate': noJavaDelegateRule,
  'juel-subset': juelSubsetRule,
  'external-topic-bound': externalTopicBoundRule,
  'user-task-form-and-candidates': userTaskFormAndCandidatesRule,
  'reachability': reachabilityRule,
};

/** Resolves rules from the two tables above; configurations are never resolved (the config lists every rule). */
export const gridflowResolver: Resolver = {
  resolveRule(pkg: string, ruleName: string): RuleFactory {
    const rule = pkg === 'bpmnlint' ? recommendedRules[ruleName] : pkg === 'bpmnlint-plugin-gridflow' ? gridflowRules[ruleName] : undefined;
    if (!rule) throw new Error(`unknown rule ${pkg}/${ruleName}`);
    return rule;
  },
  resolveConfig(pkg: string, configName: string): Config {
    throw new Error(`no configuration ${pkg}/${configName}: GridFlow lists its rules explicitly`);
  },
};

/** Options of GridFlow's rules. */
export interface GridflowRuleOptions {
  boundTopics: ReadonlySet<string>;
  formKeys?: ReadonlySet<string> | undefined;
}

/** The configuration: recommended rules at their severities, GridFlow's rules as errors. */
export function lintConfig(options: GridflowRuleOptions): Config {
  const rules: NonNullable<Config['rules']> = { ...recommendedSeverities };
  for (const name of Object.keys(gridflowRules)) rules[gridflowRulePrefix + name] = 'error';
  rules[`${gridflowRulePrefix}external-topic-bound`] = ['error', { boundTopics: options.boundTopics }];
  rules[`${gridflowRulePrefix}user-task-form-and-candidates`] = ['error', { formKeys: options.formKeys }];
  return { rules };
}
