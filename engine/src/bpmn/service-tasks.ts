/** Which elements do service work in Camunda 7, and where their implementation attributes sit. */
import { elementsOf, is } from './moddle-element.ts';
import type { ModdleElement } from './moddle-element.ts';

/** Task types that must be implemented (Camunda refuses them without an implementation). */
const serviceTaskTypes = ['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask'] as const;

/** A service-like element and the element holding its camunda:class / camunda:type / camunda:topic. */
export interface ServiceWork {
  /** The task, or the throw event of a message event definition. */
  owner: ModdleElement;
  holder: ModdleElement;
  /** True for tasks, which do nothing without an implementation; message throw events may have none. */
  implementationRequired: boolean;
}

/** The service work an element does: a service-like task, or message throw events' definitions. */
export function serviceWorkOf(element: ModdleElement): ServiceWork[] {
  if (is(element, ...serviceTaskTypes)) return [{ owner: element, holder: element, implementationRequired: true }];
  if (!is(element, 'bpmn:ThrowEvent')) return [];
  return elementsOf(element, 'eventDefinitions')
    .filter((definition) => is(definition, 'bpmn:MessageEventDefinition'))
    .map((holder) => ({ owner: element, holder, implementationRequired: false }));
}
