/** Readers for the Camunda 7 extension elements the rules look into: listeners and input/output mappings. */
import type { LocalizedText } from '../i18n/localized-text.ts';
import { elementOf, elementsOf, extensionsOf, is, textOf } from './moddle-element.ts';
import type { ModdleElement } from './moddle-element.ts';

/** An execution or task listener, with the label messages use for it. */
export interface Listener {
  element: ModdleElement;
  label: LocalizedText;
}

/** The execution and task listeners of an element. */
export function listenersOf(element: ModdleElement): Listener[] {
  return extensionsOf(element, 'camunda:ExecutionListener', 'camunda:TaskListener').map((listener) => {
    const event = textOf(listener, 'event') ?? '?';
    const label: LocalizedText = is(listener, 'camunda:TaskListener')
      ? { 'zh-CN': `任务监听器（${event}）`, en: `task listener (${event})` }
      : { 'zh-CN': `执行监听器（${event}）`, en: `execution listener (${event})` };
    return { element: listener, label };
  });
}

/** One value of an input/output parameter: literal text, or a nested definition such as a script. */
export interface ParameterValue {
  label: LocalizedText;
  text?: string;
  script?: ModdleElement;
}

/** Every value of the element's camunda:inputOutput parameters, lists and maps flattened. */
export function parameterValuesOf(element: ModdleElement): ParameterValue[] {
  const values: ParameterValue[] = [];
  for (const io of extensionsOf(element, 'camunda:InputOutput')) {
    for (const [property, zh, en] of [['inputParameters', '输入参数', 'input parameter'], ['outputParameters', '输出参数', 'output parameter']] as const) {
      for (const parameter of elementsOf(io, property)) {
        const name = textOf(parameter, 'name') ?? '?';
        collectValues(parameter, { 'zh-CN': `${zh}“${name}”`, en: `${en} "${name}"` }, values);
      }
    }
  }
  return values;
}

/** Parameters, map entries and list values hold body text or a nested list, map or script. */
function collectValues(node: ModdleElement, label: LocalizedText, into: ParameterValue[]): void {
  if (is(node, 'camunda:Script')) {
    into.push({ label, script: node });
    return;
  }
  const text = textOf(node, 'value');
  if (text !== undefined) into.push({ label, text });
  const definition = elementOf(node, 'definition');
  if (definition) collectValues(definition, label, into);
  for (const item of elementsOf(node, 'items')) collectValues(item, label, into);
  for (const entry of elementsOf(node, 'entries')) collectValues(entry, label, into);
}

/** The element's camunda:connector, if any. */
export function connectorOf(element: ModdleElement): ModdleElement | undefined {
  return extensionsOf(element, 'camunda:Connector')[0];
}
