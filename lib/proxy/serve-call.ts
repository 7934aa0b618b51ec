// One call of a learner's CLI: its API version checked, then its route (api-routes.ts) answered here
// (ping, version, info and the refusals) or by the module of its route.
import type http from 'node:http';
import { routeOf, splitVersion } from './api-routes';
import { build } from './build-route';
import { containerAction, createContainer, listContainers } from './container-routes';
import type { EngineApi } from './engine-api';
import { followEvents } from './events-route';
import { execAction } from './exec-routes';
import { imageAction, listImages } from './image-routes';
import { ownContainers, ownImages } from './ownership';
import { sendJson, sendRefusal } from './proxy-answers';
import type { ProxyCall, ProxyContext } from './proxy-context';

/** Answers one call of the learner's CLI (already counted against their requests at once). */
export async function serveCall(
  ctx: ProxyContext,
  api: EngineApi,
  builds: { active: number },
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const { docker, scope } = ctx;
  const url = new URL(req.url ?? '/', 'http://docker');
  const { prefix, path: apiPath } = splitVersion(url.pathname);
  const version = api.versionFor(prefix);
  const apiHeaders = { apiVersion: api.version };
  if (!version) {
    return sendRefusal(
      res,
      {
        status: 400,
        message: `client version ${prefix.slice(2, 12)} is not supported by the lab: it speaks API ${api.minVersion} to ${api.version}`,
      },
      apiHeaders,
    );
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const call: ProxyCall = { req, res, method, query: url.searchParams, version: `/v${version}`, api: apiHeaders };
  const route = routeOf(method, apiPath);
  switch (route.kind) {
    case 'ping':
      // Every CLI command starts with a ping: the lab answers it, with what the CLI needs to know.
      res.writeHead(200, {
        ...api.pingHeaders,
        'content-type': 'text/plain; charset=utf-8',
        'content-length': method === 'HEAD' ? 0 : 2,
      });
      return void res.end(method === 'HEAD' ? undefined : 'OK');
    case 'version':
      return sendJson(res, 200, api.versionBody, apiHeaders);
    case 'info': {
      // The CLI asks for /info behind some commands (swarm state); the host's details stay private.
      const containers = await ownContainers(docker, scope);
      return sendJson(
        res,
        200,
        {
          Name: 'docker-lab',
          OSType: 'linux',
          Containers: containers.length,
          ContainersRunning: containers.filter((info) => info.State === 'running').length,
          Images: (await ownImages(docker, scope)).length,
          Swarm: { LocalNodeState: 'inactive', ControlAvailable: false },
          SecurityOptions: ['name=no-new-privileges'],
        },
        apiHeaders,
      );
    }
    case 'refused':
      return sendRefusal(res, { status: 403, message: route.message }, apiHeaders);
    case 'not-found':
      return sendRefusal(res, { status: 404, message: route.message }, apiHeaders);
    case 'pull': {
      const image = `${(call.query.get('fromImage') ?? 'the image').replace(/^docker\.io\/(library\/)?/, '').slice(0, 80)}${call.query.get('tag') ? `:${call.query.get('tag')!.slice(0, 40)}` : ''}`;
      return sendRefusal(
        res,
        {
          status: 403,
          message: `there is no registry in the lab, so ${image} cannot be pulled: build your own image with docker build -t ${image} . (FROM a lab image: ${(await ctx.labImages()).join(', ')})`,
        },
        apiHeaders,
      );
    }
    case 'container-list':
      return listContainers(ctx, call);
    case 'image-list':
      return listImages(ctx, call);
    case 'events':
      return followEvents(ctx, call);
    case 'container-create':
      return createContainer(ctx, call);
    case 'container':
      return containerAction(ctx, call, route.ref, route.action);
    case 'exec':
      return execAction(ctx, call, route.ref, route.action);
    case 'image':
      return imageAction(ctx, call, route.ref, route.action);
    case 'build':
      return build(ctx, call, builds);
  }
}
