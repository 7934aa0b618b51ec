// The engine's container settings for the sandbox limits: one translation of RunLimits, used for learner
// containers and for the learner's workstation alike.
import type Docker from 'dockerode';
import type { RunLimits } from './limits';

/**
 * The container-level field that goes with the limits. With no network, `NetworkDisabled` also spares
 * every start the engine's network hook (dockerd starting a copy of itself to join the container to a
 * network it does not have: about 0.1 CPU-s per container on this engine, 45% of a container's start).
 * runc still gives the container a network namespace of its own, with only loopback, and up.
 */
export function sandboxNetworking(limits: RunLimits): { NetworkDisabled: boolean } {
  return { NetworkDisabled: limits.network === 'none' };
}

/** The HostConfig fields that enforce the limits; callers add what is particular to them. */
export function sandboxHostConfig(limits: RunLimits): Docker.HostConfig {
  return {
    NetworkMode: limits.network,
    Memory: limits.memoryBytes,
    MemorySwap: limits.memoryBytes,
    PidsLimit: limits.pids,
    CpuQuota: limits.cpuQuota,
    CpuPeriod: limits.cpuPeriod,
    CapDrop: [...limits.capDrop],
    CapAdd: [...limits.capAdd],
    SecurityOpt: [...limits.securityOpt],
    Privileged: false,
    LogConfig: { Type: 'json-file', Config: { 'max-size': limits.logMaxSize, 'max-file': limits.logMaxFiles } },
    Ulimits: [
      { Name: 'nofile', Soft: limits.nofile, Hard: limits.nofile },
      { Name: 'fsize', Soft: limits.fileSizeBytes, Hard: limits.fileSizeBytes },
    ],
  };
}
