// The request bodies the proxy accepts, as models: every field the engine's structs have (their layout
// in request-struct-specs.ts), each with the type the engine decodes it into. A body is decoded into its
// model (request-decoder.ts) and validated here; the policy then builds what goes to the engine from
// these values alone.
import { z } from 'zod';
import { RequestRefusal, decodeBody } from './request-decoder';
import { CREATE_REQUEST, EXEC_CREATE_REQUEST, EXEC_START_REQUEST, UPDATE_REQUEST } from './request-struct-specs';

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

/** The HostConfig of a create request, decoded and typed. */
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
