import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { createProxy } from 'proxy';

/** A proxy on 127.0.0.1 that records every tunnel it opens (`host:port`). */
export interface LoopbackProxy {
  readonly url: string;
  readonly tunnels: string[];
  close(): Promise<void>;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A real HTTP proxy (the `proxy` package: CONNECT tunnels for https://, forwarding for http://). */
export async function startHttpProxy(): Promise<LoopbackProxy> {
  const server = createProxy(createHttpServer());
  const tunnels: string[] = [];
  server.on('connect', (req) => tunnels.push(String(req.url)));
  server.on('request', (req) => tunnels.push(new URL(String(req.url)).host));
  const sockets = track(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, tunnels, close: closer(server, sockets) };
}

/** A SOCKS5 proxy (RFC 1928: no authentication, CONNECT only) — just enough for socks5:// clients. */
export async function startSocks5Proxy(): Promise<LoopbackProxy> {
  const tunnels: string[] = [];
  const server = createServer((client) => {
    let buffer = Buffer.alloc(0);
    let stage: 'greeting' | 'request' | 'piping' = 'greeting';
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'greeting') {
        if (buffer.length < 2 || buffer.length < 2 + (buffer[1] ?? 0)) return;
        if (buffer[0] !== 5) return client.destroy();
        buffer = buffer.subarray(2 + (buffer[1] ?? 0));
        client.write(Buffer.from([5, 0]));
        stage = 'request';
      }
      if (stage === 'request') {
        if (buffer.length < 5) return;
        const atyp = buffer[3];
        const addrLen = atyp === 1 ? 4 : atyp === 4 ? 16 : atyp === 3 ? 1 + (buffer[4] ?? 0) : -1;
        if (buffer[1] !== 1 || addrLen < 0) return client.destroy();
        if (buffer.length < 4 + addrLen + 2) return;
        const addr = buffer.subarray(4, 4 + addrLen);
        const host =
          atyp === 1
            ? [...addr].join('.')
            : atyp === 3
              ? addr.subarray(1).toString()
              : (addr.toString('hex').match(/.{4}/g) ?? []).join(':');
        const port = buffer.readUInt16BE(4 + addrLen);
        const rest = buffer.subarray(4 + addrLen + 2);
        stage = 'piping';
        client.off('data', onData);
        tunnels.push(`${host}:${port}`);
        const target = connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          if (rest.length) target.write(rest);
          client.pipe(target).pipe(client);
        });
        target.on('error', () => client.destroy());
        client.on('error', () => target.destroy());
        client.on('close', () => target.destroy());
      }
    };
    client.on('data', onData);
    client.on('error', () => client.destroy());
  });
  const sockets = track(server);
  const port = await listen(server);
  return { url: `socks5://127.0.0.1:${port}`, tunnels, close: closer(server, sockets) };
}
