/** Reads what a BPMN file refers to (form keys of user tasks), with element ids, names and lines. */
import { SaxesParser } from 'saxes';

/** A user task's reference to a form. */
export interface FormReference {
  elementId: string;
  elementName?: string;
  formKey: string;
  line: number;
  column: number;
}

/** What a BPMN file declares, or the syntax error that stopped reading it. */
export interface BpmnOutline {
  processIds: string[];
  formReferences: FormReference[];
  syntaxError?: { message: string; line: number; column: number };
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

/** Scans BPMN XML with a streaming parser (positions kept, no DOM). */
export function outlineBpmn(xml: string): BpmnOutline {
  const outline: BpmnOutline = { processIds: [], formReferences: [] };
  const parser = new SaxesParser({ xmlns: false, position: true });
  parser.on('opentag', (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    const name = localName(tag.name);
    if (name === 'process' && attrs.id) outline.processIds.push(attrs.id);
    const formKey = attrs['camunda:formKey'] ?? attrs['operaton:formKey'];
    if ((name === 'userTask' || name === 'startEvent') && formKey) {
      const ref: FormReference = { elementId: attrs.id ?? '?', formKey, line: parser.line, column: parser.column };
      if (attrs.name) ref.elementName = attrs.name;
      outline.formReferences.push(ref);
    }
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    outline.syntaxError = { message: (e as Error).message.replace(/^.*?:\d+:\d+: /, ''), line: parser.line, column: parser.column };
  }
  return outline;
}

/** The form key a `camunda:formKey` names: `gridflow:form:<key>[:v<version>]` or the bare key. */
export function formKeyOf(formKey: string): string {
  const match = /^(?:gridflow:form:|gridflow:)?([a-z][a-z0-9-]{1,62})(?::v\d+)?$/.exec(formKey);
  return match?.[1] ?? formKey;
}
