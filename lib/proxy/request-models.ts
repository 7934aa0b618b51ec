// The request bodies the proxy accepts, as models: every field the engine's structs have (20.10 and
// the current API, so that a newer CLI's zero values are understood), each with the type the engine
// decodes it into. A body is decoded into its model (request-decoder.ts) and validated here; the
// policy then builds what goes to the engine from these values alone.
import { z } from 'zod';
import { RequestRefusal, decodeBody, type StructSpec } from './request-decoder';

const leaves = (...names: string[]) => Object.fromEntries(names.map((name) => [name, 'leaf' as const]));
const maps = (...names: string[]) => Object.fromEntries(names.map((name) => [name, 'map' as const]));

const RESTART_POLICY: StructSpec = { name: 'RestartPolicy', fields: leaves('Name', 'MaximumRetryCount') };
const LOG_CONFIG: StructSpec = { name: 'LogConfig', fields: { Type: 'leaf', Config: 'map' } };
const HEALTHCHECK: StructSpec = {
  name: 'Healthcheck',
  fields: leaves('Test', 'Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'),
};

/** The fields of the engine's Resources, shared by HostConfig and an update. */
const RESOURCE_FIELDS = leaves(
  'CpuShares',
  'Memory',
  'NanoCpus',
  'CgroupParent',
  'BlkioWeight',
  'BlkioWeightDevice',
  'BlkioDeviceReadBps',
  'BlkioDeviceWriteBps',
  'BlkioDeviceReadIOps',
  'BlkioDeviceWriteIOps',
  'CpuPeriod',
  'CpuQuota',
  'CpuRealtimePeriod',
  'CpuRealtimeRuntime',
  'CpusetCpus',
  'CpusetMems',
  'Devices',
  'DeviceCgroupRules',
  'DeviceRequests',
  'KernelMemory',
  'KernelMemoryTCP',
  'MemoryReservation',
  'MemorySwap',
  'MemorySwappiness',
  'OomKillDisable',
  'PidsLimit',
  'Ulimits',
  'CpuCount',
  'CpuPercent',
  'IOMaximumIOps',
  'IOMaximumBandwidth',
);

/** HostConfig as the engine reads it. */
export const HOST_CONFIG: StructSpec = {
  name: 'HostConfig',
  fields: {
    ...RESOURCE_FIELDS,
    ...leaves(
      'Binds',
      'ContainerIDFile',
      'NetworkMode',
      'PortBindings',
      'AutoRemove',
      'VolumeDriver',
      'VolumesFrom',
      'ConsoleSize',
      'CapAdd',
      'CapDrop',
      'CgroupnsMode',
      'Dns',
      'DnsOptions',
      'DnsSearch',
      'ExtraHosts',
      'GroupAdd',
      'IpcMode',
      'Cgroup',
      'Links',
      'OomScoreAdj',
      'PidMode',
      'Privileged',
      'PublishAllPorts',
      'ReadonlyRootfs',
      'SecurityOpt',
      'UTSMode',
      'UsernsMode',
      'ShmSize',
      'Runtime',
      'Isolation',
      'Mounts',
      'MaskedPaths',
      'ReadonlyPaths',
      'Init',
    ),
    ...maps('Annotations', 'StorageOpt', 'Tmpfs', 'Sysctls'),
    LogConfig: LOG_CONFIG,
    RestartPolicy: RESTART_POLICY,
  },
};

/**
 * A create body: the container's Config at the top level, HostConfig and NetworkingConfig beside it.
 * The engine also reads HostConfig fields spelled at the top level (an old API's layout): they are not
 * part of this model, so such a body is refused as having unknown fields.
 */
export const CREATE_REQUEST: StructSpec = {
  name: 'the create request',
  fields: {
    ...leaves(
      'Hostname',
      'Domainname',
      'User',
      'AttachStdin',
      'AttachStdout',
      'AttachStderr',
      'ExposedPorts',
      'Tty',
      'OpenStdin',
      'StdinOnce',
      'Env',
      'Cmd',
      'ArgsEscaped',
      'Image',
      'Volumes',
      'WorkingDir',
      'Entrypoint',
      'NetworkDisabled',
      'MacAddress',
      'OnBuild',
      'StopSignal',
      'StopTimeout',
      'Shell',
      'NetworkingConfig',
    ),
    Labels: 'map',
    Healthcheck: HEALTHCHECK,
    HostConfig: HOST_CONFIG,
  },
};

export const EXEC_CREATE_REQUEST: StructSpec = {
  name: 'the exec request',
  fields: leaves(
    'User',
    'Privileged',
    'Tty',
    'ConsoleSize',
    'AttachStdin',
    'AttachStderr',
    'AttachStdout',
    'Detach',
    'DetachKeys',
    'Env',
    'WorkingDir',
    'Cmd',
  ),
};

export const EXEC_START_REQUEST: StructSpec = {
  name: 'the exec start request',
  fields: leaves('Detach', 'Tty', 'ConsoleSize'),
};

export const UPDATE_REQUEST: StructSpec = {
  name: 'the update request',
  fields: { ...RESOURCE_FIELDS, RestartPolicy: RESTART_POLICY },
};

// Types as the engine decodes them. null is the engine's "not set".
const str = z.string().max(65_536).nullish();
const bool = z.boolean().nullish();
const int = z.number().int().nullish();
const strings = z.array(z.string().max(65_536)).max(1024).nullish();
/** strslice.StrSlice: a string or a list of strings. */
const strSlice = z.union([z.string().max(65_536), z.array(z.string().max(65_536)).max(1024)]).nullish();
const stringMap = z.record(z.string(), z.string().max(65_536)).nullish();
const consoleSize = z.array(z.number().int().min(0).max(10_000)).length(2).nullish();
/** Fields the lab never passes on: read only to know whether they were given a value. */
const anything = z.unknown().optional();

const restartPolicy = z.object({ Name: str, MaximumRetryCount: int }).nullish();

const resources = {
  CpuShares: int,
  Memory: int,
  NanoCpus: int,
  CgroupParent: str,
  BlkioWeight: int,
  BlkioWeightDevice: anything,
  BlkioDeviceReadBps: anything,
  BlkioDeviceWriteBps: anything,
  BlkioDeviceReadIOps: anything,
  BlkioDeviceWriteIOps: anything,
  CpuPeriod: int,
  CpuQuota: int,
  CpuRealtimePeriod: int,
  CpuRealtimeRuntime: int,
  CpusetCpus: str,
  CpusetMems: str,
  Devices: anything,
  DeviceCgroupRules: anything,
  DeviceRequests: anything,
  KernelMemory: int,
  KernelMemoryTCP: int,
  MemoryReservation: int,
  MemorySwap: int,
  MemorySwappiness: int,
  OomKillDisable: bool,
  PidsLimit: int,
  Ulimits: anything,
  CpuCount: int,
  CpuPercent: int,
  IOMaximumIOps: int,
  IOMaximumBandwidth: int,
};

const hostConfig = z.object({
  ...resources,
  Binds: anything,
  ContainerIDFile: str,
  NetworkMode: str,
  PortBindings: anything,
  AutoRemove: bool,
  VolumeDriver: str,
  VolumesFrom: anything,
  ConsoleSize: consoleSize,
  CapAdd: anything,
  CapDrop: strSlice,
  CgroupnsMode: str,
  Dns: strings,
  DnsOptions: strings,
  DnsSearch: strings,
  ExtraHosts: strings,
  GroupAdd: strings,
  IpcMode: str,
  Cgroup: str,
  Links: anything,
  OomScoreAdj: int,
  PidMode: str,
  Privileged: bool,
  PublishAllPorts: bool,
  ReadonlyRootfs: bool,
  SecurityOpt: anything,
  UTSMode: str,
  UsernsMode: str,
  ShmSize: int,
  Runtime: str,
  Isolation: str,
  Mounts: anything,
  MaskedPaths: anything,
  ReadonlyPaths: anything,
  Init: bool,
  Annotations: anything,
  StorageOpt: anything,
  Tmpfs: anything,
  Sysctls: anything,
  LogConfig: z.object({ Type: str, Config: stringMap }).nullish(),
  RestartPolicy: restartPolicy,
});

const healthcheck = z
  .object({ Test: strings, Interval: int, Timeout: int, StartPeriod: int, StartInterval: int, Retries: int })
  .nullish();

const createRequest = z.object({
  Hostname: str,
  Domainname: str,
  User: str,
  AttachStdin: bool,
  AttachStdout: bool,
  AttachStderr: bool,
  ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
  Tty: bool,
  OpenStdin: bool,
  StdinOnce: bool,
  Env: strings,
  Cmd: strSlice,
  ArgsEscaped: bool,
  Image: str,
  Volumes: anything,
  WorkingDir: str,
  Entrypoint: strSlice,
  NetworkDisabled: bool,
  MacAddress: str,
  OnBuild: anything,
  StopSignal: str,
  StopTimeout: int,
  Shell: anything,
  NetworkingConfig: anything,
  Labels: stringMap,
  Healthcheck: healthcheck,
  HostConfig: hostConfig.nullish(),
});

const execCreateRequest = z.object({
  User: str,
  Privileged: bool,
  Tty: bool,
  ConsoleSize: consoleSize,
  AttachStdin: bool,
  AttachStderr: bool,
  AttachStdout: bool,
  Detach: bool,
  DetachKeys: str,
  Env: strings,
  WorkingDir: str,
  Cmd: strSlice,
});

const execStartRequest = z.object({ Detach: bool, Tty: bool, ConsoleSize: consoleSize });

const updateRequest = z.object({ ...resources, RestartPolicy: restartPolicy });

export type HostConfigModel = z.infer<typeof hostConfig>;
/** A container create request, decoded and typed. */
export type CreateModel = z.infer<typeof createRequest>;
/** An exec create request, decoded and typed. */
export type ExecCreateModel = z.infer<typeof execCreateRequest>;
/** An exec start request, decoded and typed. */
export type ExecStartModel = z.infer<typeof execStartRequest>;
/** A container update request, decoded and typed. */
export type UpdateModel = z.infer<typeof updateRequest>;

function typed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new RequestRefusal({
    status: 400,
    message: `${what}: ${issue.path.join('.') || 'the body'} ${issue.message.toLowerCase()}`,
  });
}

/** Each model from the bytes of a body; a RequestRefusal says why a body is not accepted. */
export const decodeCreate = (body: Buffer): CreateModel =>
  typed(createRequest, decodeBody(body, CREATE_REQUEST), CREATE_REQUEST.name);
export const decodeExecCreate = (body: Buffer): ExecCreateModel =>
  typed(execCreateRequest, decodeBody(body, EXEC_CREATE_REQUEST), EXEC_CREATE_REQUEST.name);
export const decodeExecStart = (body: Buffer): ExecStartModel =>
  typed(execStartRequest, decodeBody(body, EXEC_START_REQUEST), EXEC_START_REQUEST.name);
export const decodeUpdate = (body: Buffer): UpdateModel =>
  typed(updateRequest, decodeBody(body, UPDATE_REQUEST), UPDATE_REQUEST.name);
