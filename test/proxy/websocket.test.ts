import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RouteTable } from '../../server/proxy/routeTable.ts';
import { closeServer, listen, refusedUpstream, startProxy } from './helpers.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const accept = (key: string) =>
  createHash('sha1')
    .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
    .digest('base64');

/** Upstream doing a real WebSocket handshake, then greeting and echoing raw bytes. */
async function wsUpstream() {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((_req, res) => res.end('plain'));
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    seen.push(req.headers);
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(String(req.headers['sec-websocket-key']))}\r\n\r\n`,
    );
    socket.write('hello');
    socket.on('data', (d) => socket.write(`echo:${d}`));
    socket.on('end', () => socket.end());
    socket.on('error', () => {});
    sockets.add(socket);
  });
  const sockets = new Set<net.Socket>();
  const port = await listen(server);
  cleanup.push(() => {
    sockets.forEach((s) => s.destroy());
    return closeServer(server);
  });
  return { upstream: { host: '127.0.0.1', port, id: 'ws' }, seen };
}

/** Raw client: sends the upgrade request and collects everything it receives. */
function wsClient(port: number, host: string) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  const waiters: (() => void)[] = [];
  socket.on('data', (d) => {
    received += d;
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('error', () => {});
  socket.write(
    `GET /socket HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const until = (pred: (s: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout; got ${JSON.stringify(received)}`)), 3000);
      const check = () => (pred(received) ? (clearTimeout(timer), resolve(received)) : waiters.push(check));
      check();
    });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, until, closed };
}

describe('proxy websocket upgrades', () => {
  it('passes the handshake through and bytes flow both ways', async () => {
    const up = await wsUpstream();
    const routes = new RouteTable('localhost');
    routes.setApp({
      app: 'chat',
      state: 'live',
      primary: 'web',
      services: [{ service: 'web', upstreams: [up.upstream] }],
    });
    const p = await startProxy({ routes });
    cleanup.push(p.close);
    const c = wsClient(p.port, 'chat.localhost');
    const head = await c.until((s) => s.includes('hello'));
    expect(head).toMatch(/^HTTP\/1\.1 101/);
    expect(head.toLowerCase()).toContain(`sec-websocket-accept: ${accept('dGhlIHNhbXBsZSBub25jZQ==')}`.toLowerCase());
    c.socket.write('ping');
    await c.until((s) => s.includes('echo:ping'));
    expect(up.seen[0]['x-forwarded-for']).toBe('127.0.0.1');
    expect(up.seen[0]['x-forwarded-proto']).toBe('ws');
    expect(p.server.inflight.sockets(up.upstream)).toBe(1);
    expect(await p.server.waitIdle([up.upstream], 10)).toBe(true); // websockets do not block draining
    c.socket.end();
    await c.closed;
  });

  it('closeAllConnections also ends upgraded connections (so shutdown does not hang)', async () => {
    const up = await wsUpstream();
    const routes = new RouteTable('localhost');
    routes.setApp({
      app: 'chat',
      state: 'live',
      primary: 'web',
      services: [{ service: 'web', upstreams: [up.upstream] }],
    });
    const p = await startProxy({ routes });
    const c = wsClient(p.port, 'chat.localhost');
    await c.until((s) => s.includes('hello'));
    await p.close();
    await c.closed;
  });

  it('rejects upgrades for unknown hosts (404) and unreachable replicas (502)', async () => {
    const routes = new RouteTable('localhost');
    routes.setApp({
      app: 'chat',
      state: 'live',
      primary: 'web',
      services: [{ service: 'web', upstreams: [await refusedUpstream()] }],
    });
    const p = await startProxy({ routes });
    cleanup.push(p.close);
    const unknown = wsClient(p.port, 'nope.localhost');
    expect(await unknown.until((s) => s.includes('kyozo'))).toMatch(/^HTTP\/1\.1 404/);
    const dead = wsClient(p.port, 'chat.localhost');
    expect(await dead.until((s) => s.includes('kyozo'))).toMatch(/^HTTP\/1\.1 502/);
    await Promise.all([unknown.closed, dead.closed]);
  });
});
