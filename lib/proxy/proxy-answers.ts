// The proxy's answers to the learner's docker CLI. Headers are the proxy's own (the engine's, such as
// `Server: Docker/20.10.24 (linux)`, describe the host); bodies are what the engine said with the
// learner's namespace taken out, or the proxy's own JSON.
import type http from 'node:http';
import type { EngineAnswer } from './engine-client';
import type { Refusal } from './refusal';

/** The API version the lab's engine speaks, as the CLI reads it from every answer. */
export interface ApiHeaders {
  apiVersion: string;
}

export function baseHeaders(api: ApiHeaders): http.OutgoingHttpHeaders {
  return { 'api-version': api.apiVersion, 'docker-experimental': 'false', ostype: 'linux' };
}

/** The engine's error answer shape, `{"message": ...}`, which the CLI prints. */
export function sendRefusal(
  res: http.ServerResponse,
  refusal: Refusal,
  api?: ApiHeaders,
  extra: http.OutgoingHttpHeaders = {},
): void {
  sendJson(res, refusal.status, { message: refusal.message }, api, extra);
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  api?: ApiHeaders,
  extra: http.OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...(api ? baseHeaders(api) : {}),
    ...extra,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Content types an answer may carry back; anything else is sent as JSON's (the CLI decodes by status). */
const CONTENT_TYPES = new Set([
  'application/json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/vnd.docker.raw-stream',
  'application/vnd.docker.multiplexed-stream',
]);

export function contentTypeOf(value: string | string[] | undefined): string {
  const type = String(value ?? '').toLowerCase();
  return CONTENT_TYPES.has(type) ? type : 'application/json';
}

/**
 * An engine error message without the engine's own paths (its data root, the remapped user's range,
 * layer IDs): `lstat /var/lib/docker/100000.100000/overlay2/<id>/merged/etc/x` says `lstat /etc/x`.
 */
export function withoutHostPaths(text: string): string {
  return text
    .replace(/\/var\/lib\/docker\/[^\s"':]*?\/(?:merged|diff)(?=\/)/g, '')
    .replace(/\/var\/lib\/docker(?:\/[^\s"':]*)?/g, "<the engine's storage>")
    .replace(/\/(?:run|var\/run)\/docker\/[^\s"':]*/g, "<the engine's state>");
}

/** A whole engine answer, rewritten (the learner's namespace out), with the proxy's headers. */
export function relay(
  res: http.ServerResponse,
  answer: EngineAnswer,
  api: ApiHeaders,
  rewrite: (text: string) => string,
): void {
  if (answer.status === 204 || answer.status === 304) {
    res.writeHead(answer.status, baseHeaders(api));
    res.end();
    return;
  }
  const body = answer.body.toString('utf8');
  const text = answer.status >= 400 ? withoutHostPaths(rewrite(body)) : rewrite(body);
  res.writeHead(answer.status, {
    ...baseHeaders(api),
    'content-type': contentTypeOf(answer.contentType),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The message of an engine's error answer (`{"message": ...}`), or the text itself. */
export function messageOf(text: string): string {
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text;
  }
}
