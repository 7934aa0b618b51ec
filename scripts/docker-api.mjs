// A minimal Docker Engine API client over HTTP, with no dependencies, for the setup steps that run
// before `npm install` has been able to bring dockerode. The lab itself talks to Docker only through
// lib/sandbox/.
import http from 'node:http';

/** Where the engine answers: DOCKER_HOST (unix:// or tcp://) or the default socket. */
export function engineAddress(env = process.env) {
  const host = env.DOCKER_HOST;
  if (!host) return { socketPath: '/var/run/docker.sock', label: 'unix:///var/run/docker.sock' };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length), label: host };
  if (host.startsWith('tcp://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375), label: host };
  }
  throw new Error(`DOCKER_HOST=${host} is not supported by the setup: use unix:// or tcp://`);
}

/** One request to the engine; resolves with status and body text, or rejects on a connection error or timeout. */
export function request(method, path, { body, headers = {}, timeoutMs = 10_000, onData } = {}) {
  const address = engineAddress();
  return new Promise((resolve, reject) => {
    const req = http.request({ ...address, method, path, headers: { ...headers }, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
        onData?.(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    if (body && typeof body.pipe === 'function') body.pipe(req);
    else req.end(body);
  });
}

/** True when the engine answers /_ping. */
export async function ping() {
  try {
    const res = await request('GET', '/_ping', { timeoutMs: 2_000 });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Inspect an image; null when it does not exist. */
export async function inspectImage(ref) {
  const res = await request('GET', `/images/${encodeURIComponent(ref)}/json`);
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`inspecting image ${ref}: HTTP ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}

/**
 * Reads a JSON-lines progress stream (build, pull, import) and collects errors: the engine reports a
 * failed build as an `{error}` line inside an HTTP 200 response, so every line must be scanned.
 */
export function progressReader(onLine) {
  let buffer = '';
  const errors = [];
  return {
    errors,
    push(chunk) {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        try {
          const message = JSON.parse(line);
          if (message.error) errors.push(message.error);
          onLine?.(message);
        } catch {
          onLine?.({ stream: line });
        }
      }
    },
  };
}
