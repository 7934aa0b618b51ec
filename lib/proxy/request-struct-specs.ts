// The engine's structs the proxy accepts bodies of: every field of 20.10 and the current API (so that a newer CLI's
// zero values are understood), and which are leaves, maps or nested structs; request-decoder.ts reads a body by these.
import type { StructSpec } from './request-decoder';

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

/** An exec create body, as the engine reads it. */
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

/** An exec start body, as the engine reads it. */
export const EXEC_START_REQUEST: StructSpec = {
  name: 'the exec start request',
  fields: leaves('Detach', 'Tty', 'ConsoleSize'),
};

/** A container update body: the Resources fields and the restart policy. */
export const UPDATE_REQUEST: StructSpec = {
  name: 'the update request',
  fields: { ...RESOURCE_FIELDS, RestartPolicy: RESTART_POLICY },
};
