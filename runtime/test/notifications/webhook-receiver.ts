/**
 * Test support: a real HTTP server receiving webhooks. It records every request (raw body and
 * headers), answers with the next programmed status (200 when none is left), can hold requests
 * unanswered (to kill the sender mid-delivery), and dedupes by idempotency key as a receiver should.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert the JSON fields one by one
  body: any;
  /** The status it was answered with (undefined while held). */
  status?: number;
}

/** A running receiver. */
export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Statuses for the next requests, in order. */
  answers: number[];
  /** While true, requests are recorded but not answered. */
  hold: boolean;
  /** Idempotency keys accepted (2xx) at least once: what a deduping receiver processed. */
  processed(): Map<string, number>;
  close(): Promise<void>;
}

/** Starts a receiver on a free port of 127.0.0.1. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const held: ServerResponse[] = [];
  const receiver = {
    url: '', requests, answers: [] as number[], hold: false,
    processed() {
      const keys = new Map<string, number>();
      for (const r of requests) {
        if (r.status === undefined || r.status >= 300) continue;
        const key = String(r.headers['idempotency-key']);
        keys.set(key, (keys.get(key) ?? 0) + 1);
      }
      return keys;
    },
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { raw += c; });
    req.on('end', () => {
      const entry: ReceivedRequest = { path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) as unknown };
      requests.push(entry);
      if (receiver.hold) {
        held.push(res);
        return;
      }
      entry.status = receiver.answers.shift() ?? 200;
      res.writeHead(entry.status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
