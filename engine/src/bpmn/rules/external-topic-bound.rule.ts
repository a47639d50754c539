/** external-topic-bound: every external task names a topic, and a plugin handles that topic. */
import type { Reporter, RuleDefinition } from 'bpmnlint/lib/types';
import type { LocalizedText } from '../../i18n/localized-text.ts';
import { is, textOf } from '../moddle-element.ts';
import type { ModdleElement } from '../moddle-element.ts';
import { reportProblem } from '../rule-report.ts';
import { serviceWorkOf } from '../service-tasks.ts';

/** The topics plugins have bound handlers to. */
export interface ExternalTopicOptions {
  boundTopics: ReadonlySet<string>;
}

const maxListedTopics = 10;

/** Creates the rule for the given bound topics. */
export function externalTopicBoundRule(options: ExternalTopicOptions): RuleDefinition {
  const bound = listTopics(options.boundTopics);
  return {
    check: (node: ModdleElement, reporter: Reporter) => {
      if (!is(node, 'bpmn:FlowElement')) return;
      for (const { owner, holder } of serviceWorkOf(node)) {
        if (textOf(holder, 'camunda:type') !== 'external') continue;
        const topic = textOf(holder, 'camunda:topic');
        if (topic === undefined) reportProblem(reporter, owner, 'topic.missing');
        else if (!options.boundTopics.has(topic)) reportProblem(reporter, owner, 'topic.unbound', { topic, bound });
      }
    },
  };
}

/** The bound topics for a message, sorted and cut short when there are many. */
function listTopics(topics: ReadonlySet<string>): LocalizedText {
  const sorted = [...topics].sort();
  if (sorted.length === 0) return { 'zh-CN': '无', en: 'none' };
  const shown = sorted.slice(0, maxListedTopics);
  const more = sorted.length > maxListedTopics ? '…' : '';
  return { 'zh-CN': shown.join('、') + more, en: shown.join(', ') + more };
}
