/** Messages (correlated to one instance or start event) and signals (broadcast). */
import type { EngineHttp } from './engine-http.ts';
import type { MessageCorrelationResultWithVariableDto } from './engine-rest.types.ts';
import { toVariables } from './typed-values.ts';

/** Which waiting instance (or message start event) a message goes to, and what it carries. */
export interface CorrelateInput {
  businessKey?: string;
  processInstanceId?: string;
  /** Process variables that must have these values (correlation keys). */
  correlationKeys?: Record<string, unknown>;
  /** Variables set in the process when the message is delivered. */
  variables?: Record<string, unknown>;
  tenantId?: string;
  /** Deliver to every matching subscription instead of exactly one (default false). */
  all?: boolean;
}

/** Where a message went. */
export interface CorrelationResult {
  /** `Execution` (a waiting instance) or `ProcessDefinition` (a message start event started one). */
  resultType: 'Execution' | 'ProcessDefinition';
  processInstanceId: string;
}

/** What a signal carries. */
export interface SignalInput {
  variables?: Record<string, unknown>;
  tenantId?: string;
  /** Deliver only to this execution's subscription. */
  executionId?: string;
}

/** Message and signal operations. */
export interface MessagesClient {
  /**
   * Delivers a message and says where it went. Fails with EngineRequestError (400,
   * MismatchingMessageCorrelationException) when nothing, or more than one instance, waits for it.
   */
  correlate(messageName: string, input?: CorrelateInput): Promise<CorrelationResult[]>;
  /** Throws a signal to every waiting subscription (or to one execution). */
  signal(name: string, input?: SignalInput): Promise<void>;
}

export function messagesClient(http: EngineHttp): MessagesClient {
  const { rest, send } = http;
  return {
    async correlate(messageName, input = {}) {
      const results = await send(`correlate message ${messageName}`, () => rest.POST('/message', {
        body: {
          messageName,
          businessKey: input.businessKey,
          processInstanceId: input.processInstanceId,
          correlationKeys: input.correlationKeys ? toVariables(input.correlationKeys) : undefined,
          processVariables: toVariables(input.variables),
          tenantId: input.tenantId,
          all: input.all ?? false,
          resultEnabled: true,
        },
      }));
      return (results as MessageCorrelationResultWithVariableDto[] | undefined ?? []).map(toResult);
    },

    async signal(name, input = {}) {
      await send(`throw signal ${name}`, () => rest.POST('/signal', {
        body: { name, variables: toVariables(input.variables), tenantId: input.tenantId, executionId: input.executionId },
      }));
    },
  };
}

function toResult(result: MessageCorrelationResultWithVariableDto): CorrelationResult {
  const resultType = result.resultType === 'ProcessDefinition' ? 'ProcessDefinition' : 'Execution';
  const processInstanceId = resultType === 'Execution'
    ? result.execution?.processInstanceId ?? ''
    : result.processInstance?.id ?? '';
  return { resultType, processInstanceId };
}
