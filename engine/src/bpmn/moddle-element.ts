/** A typed view of bpmn-moddle elements (bpmnlint hands rules untyped ones) and small readers for them. */

/** The part of a bpmn-moddle element that GridFlow reads. */
export interface ModdleElement {
  readonly $type: string;
  readonly $parent?: ModdleElement;
  readonly id?: string;
  readonly name?: string;
  $instanceOf(type: string): boolean;
  get(name: string): unknown;
}

/** True for a bpmn-moddle element. */
export function isModdleElement(value: unknown): value is ModdleElement {
  return typeof value === 'object' && value !== null && typeof (value as { $instanceOf?: unknown }).$instanceOf === 'function';
}

/** True when the element is an instance of any of the types (`bpmn:Task`, `camunda:Script`, ...). */
export function is(element: ModdleElement | undefined, ...types: string[]): boolean {
  return element !== undefined && types.some((type) => element.$instanceOf(type));
}

/** A string property, or undefined when absent or blank. */
export function textOf(element: ModdleElement | undefined, property: string): string | undefined {
  const value = element?.get(property);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A single contained or referenced element. */
export function elementOf(element: ModdleElement | undefined, property: string): ModdleElement | undefined {
  const value = element?.get(property);
  return isModdleElement(value) ? value : undefined;
}

/** A many-valued property's elements (empty when absent). */
export function elementsOf(element: ModdleElement | undefined, property: string): ModdleElement[] {
  const value = element?.get(property);
  return Array.isArray(value) ? value.filter(isModdleElement) : [];
}

/** The extension elements of the given types (`camunda:InputOutput`, `camunda:ExecutionListener`, ...). */
export function extensionsOf(element: ModdleElement | undefined, ...types: string[]): ModdleElement[] {
  return elementsOf(elementOf(element, 'extensionElements'), 'values').filter((value) => is(value, ...types));
}

/** The element itself or its nearest ancestor that has an id (extension elements have none). */
export function owningElement(element: ModdleElement | undefined): ModdleElement | undefined {
  let current = element;
  while (current && !current.id) current = current.$parent;
  return current;
}
