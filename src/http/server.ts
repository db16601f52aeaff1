/**
 * The bot's HTTP server on PORT, in both modes: `GET /healthz` always, the webhook path in
 * webhook mode, and any further routes (e.g. metrics) registered by the composition root.
 * A route that throws answers 500; the server never takes the process down.
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { Health } from './health.js';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  readonly port: number;
  /** Host to bind; default all interfaces. */
  readonly host?: string;
  readonly health: Health;
  /** Exact paths (without query) → handlers, e.g. the webhook path. */
  readonly routes?: ReadonlyMap<string, Route>;
  readonly logger: { error(obj: object, msg: string): void };
  /** Time-outs and header limits of node:http (e.g. the webhook's, see webhook-body.ts). */
  readonly serverOptions?: ServerOptions;
}

export interface HttpServer {
  readonly server: Server;
  /** Stops accepting connections and closes idle ones; resolves when closed. Idempotent. */
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const server = createServer(opts.serverOptions ?? {}, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const fail = (err: unknown) => {
      opts.logger.error({ err, path }, 'HTTP route failed');
      if (!res.headersSent) json(res, 500, { ok: false });
      else res.destroy();
    };
    try {
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        const report = opts.health.check();
        json(res, report.ok ? 200 : 503, report);
        return;
      }
      const route = opts.routes?.get(path);
      if (!route) {
        json(res, 404, { ok: false, error: 'not found' });
        return;
      }
      Promise.resolve(route(req, res)).catch(fail);
    } catch (err) {
      fail(err);
    }
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
