// What the red-team tests attack with and judge by: a raw HTTP client on a learner's socket (what a
// learner with perl has), a tap that records every request the proxy sends the engine, a listener on
// the host's loopback that must never be reached from a build, and the engine's own view of a learner.
import type Docker from 'dockerode';
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import { OWNER_LABEL } from '../sandbox/labels';

/** An answer as a raw client sees it. */
export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One HTTP request on a unix socket, any body, any headers, nothing fixed up. */
export function rawRequest(
  socketPath: string,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const request = http.request(
      {
        socketPath,
        method,
        path,
        headers: {
          host: 'docker',
          ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(data);
  });
}

/** Writes bytes on a fresh connection and collects everything until the proxy closes it (or `ms`). */
export function rawExchange(
  socketPath: string,
  bytes: Buffer | string,
  ms = 10_000,
): Promise<{ received: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    let received = '';
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closed });
    }, ms);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ received, closed });
    });
    socket.write(bytes);
  });
}

/** A request as the engine received it from the proxy. */
export interface TappedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A unix socket in front of the engine that records every request it passes on. The proxy under test
 * is pointed at it, so the test sees exactly the bytes the engine was sent; the engine still acts.
 */
export async function startTap(
  socketPath: string,
  enginePath = '/var/run/docker.sock',
): Promise<{ requests: TappedRequest[]; close(): Promise<void> }> {
  const requests: TappedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const headers = { ...req.headers };
      delete headers['transfer-encoding'];
      headers['content-length'] = String(body.length);
      const upstream = http.request(
        { socketPath: enginePath, method: req.method, path: req.url, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  // Hijacked streams: recorded by their request line and joined as they are.
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: head });
    const upstream = net.connect({ path: enginePath });
    const lines = [
      `${req.method} ${req.url} HTTP/1.1`,
      ...Object.entries(req.headers).map(([key, value]) => `${key}: ${value}`),
    ];
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  fs.rmSync(socketPath, { force: true });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A listener on the host's loopback that counts the requests it gets: a build must never reach it. */
export async function startCanaryListener(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end('canary');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/canary`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What the engine says of a learner's containers: how each was really configured. */
export async function engineView(docker: Docker, owner: string): Promise<Docker.ContainerInspectInfo[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${OWNER_LABEL}=${owner}`] } });
  return Promise.all(list.map((info) => docker.getContainer(info.Id).inspect()));
}

/** Everything about a container that would reach the host; empty for a sandboxed one. */
export function hostReach(info: Docker.ContainerInspectInfo): string[] {
  const host = info.HostConfig as Docker.HostConfig & Record<string, unknown>;
  const found: string[] = [];
  if (host.Privileged) found.push('privileged');
  if (host.Binds?.length) found.push(`binds ${host.Binds.join(',')}`);
  if ((host.Mounts as unknown[] | undefined)?.length) found.push('mounts');
  if (info.Mounts?.length) found.push(`mounts ${info.Mounts.map((m) => m.Source).join(',')}`);
  if (host.PidMode) found.push(`pid ${host.PidMode}`);
  if (host.NetworkMode !== 'none') found.push(`network ${host.NetworkMode}`);
  if (host.IpcMode && host.IpcMode !== 'private' && host.IpcMode !== 'shareable') found.push(`ipc ${host.IpcMode}`);
  if (host.UsernsMode) found.push(`userns ${host.UsernsMode}`);
  if (host.CapAdd?.length) found.push(`cap-add ${host.CapAdd.join(',')}`);
  if (!(host.CapDrop ?? []).includes('ALL')) found.push('capabilities kept');
  if ((host.Devices ?? []).length) found.push('devices');
  if (!(host.SecurityOpt ?? []).includes('no-new-privileges')) found.push('new privileges');
  if (!host.Memory || host.Memory > 256 * 1024 * 1024) found.push(`memory ${host.Memory}`);
  if (!host.PidsLimit || host.PidsLimit > 64) found.push(`pids ${host.PidsLimit}`);
  if (host.LogConfig?.Type !== 'json-file') found.push(`log ${host.LogConfig?.Type}`);
  if (host.Runtime && host.Runtime !== 'runc') found.push(`runtime ${host.Runtime}`);
  if (Object.keys((host.Sysctls as object | undefined) ?? {}).length) found.push('sysctls');
  if (!String(host.CgroupParent ?? '').startsWith('/lab-learner-') && host.CgroupParent)
    found.push(`cgroup ${host.CgroupParent}`);
  return found;
}
