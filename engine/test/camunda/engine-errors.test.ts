// How HTTP failures reach the caller, with a stand-in fetch (no engine needed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineRequestError, EngineServerError, OperationalError, createEngineClient } from '../../src/index.ts';

type Handler = (request: Request) => Response | Promise<Response>;

/** A client whose requests go to `handler`; records the requests. */
function clientWith(handler: Handler, options: { timeoutMs?: number } = {}) {
  const requests: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    return handler(request);
  };
  const client = createEngineClient({ baseUrl: 'http://engine.test:8089/', secret: 's3cret', fetch: fetch as typeof globalThis.fetch, ...options });
  return { client, requests };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const rejection = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected a rejection'), (e: unknown) => e);

describe('engine errors', () => {
  it('sends Basic auth to the REST API under /engine-rest', async () => {
    const { client, requests } = clientWith(() => json(200, []));
    await client.tasks.query({ assignee: 'li.si' });
    assert.equal(client.restUrl, 'http://engine.test:8089/engine-rest');
    assert.equal(requests[0]?.url, 'http://engine.test:8089/engine-rest/task');
    assert.equal(requests[0]?.headers.get('authorization'), `Basic ${Buffer.from('gridflow:s3cret').toString('base64')}`);
    assert.equal((await requests[0]?.json() as { assignee: string }).assignee, 'li.si');
  });

  it('a 4xx becomes an EngineRequestError that keeps the engine\'s type and message', async () => {
    const { client } = clientWith(() => json(404, { type: 'InvalidRequestException', message: 'No matching task with id 42', code: null }));
    const error = await rejection(client.tasks.variables('42'));
    assert.ok(error instanceof EngineRequestError);
    assert.deepEqual([error.status, error.type, error.engineMessage], [404, 'InvalidRequestException', 'No matching task with id 42']);
    assert.match(error.message, /No matching task with id 42/);
    assert.match(error.localized['zh-CN'], /No matching task with id 42/);
  });

  it('a 5xx becomes a retryable EngineServerError (an OperationalError) with the engine\'s message', async () => {
    const { client } = clientWith(() => json(500, { type: 'OptimisticLockingException', message: 'ENGINE-03005 Execution of UPDATE failed', code: 1 }));
    const error = await rejection(client.tasks.complete('7'));
    assert.ok(error instanceof EngineServerError);
    assert.ok(error instanceof OperationalError);
    assert.equal(error.type, 'OptimisticLockingException');
    assert.match(error.message, /ENGINE-03005/);
  });

  it('a rejection the engine reports as 500 is still an EngineRequestError', async () => {
    const { client } = clientWith(() => json(500, { type: 'TaskAlreadyClaimedException', message: 'Task \'7\' is already claimed by someone else.', code: 0 }));
    const error = await rejection(client.tasks.claim('7', 'li.si'));
    assert.ok(error instanceof EngineRequestError);
    assert.equal(error.status, 500);
  });

  it('a body that is not the engine\'s JSON is kept as the message', async () => {
    const { client } = clientWith(() => new Response('<html>Bad Gateway</html>', { status: 502 }));
    const error = await rejection(client.jobs.execute('1'));
    assert.ok(error instanceof EngineServerError);
    assert.equal(error.engineMessage, '<html>Bad Gateway</html>');
  });

  it('an unreachable engine is an OperationalError naming the address', async () => {
    const { client } = clientWith(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    });
    const error = await rejection(client.processInstances.startByKey('case'));
    assert.ok(error instanceof OperationalError && !(error instanceof EngineServerError));
    assert.match(error.message, /engine\.test:8089.*start process case.*ECONNREFUSED/);
  });

  it('an engine that does not answer in time is an OperationalError', async () => {
    const { client } = clientWith((request) => new Promise((_, reject) => {
      const keepAlive = setTimeout(() => undefined, 5_000); // the timeout's own timer does not hold the event loop
      request.signal.addEventListener('abort', () => {
        clearTimeout(keepAlive);
        reject(request.signal.reason);
      });
    }), { timeoutMs: 50 });
    const error = await rejection(client.tasks.query());
    assert.ok(error instanceof OperationalError);
    assert.match(error.message, /no answer in time/);
  });
});
