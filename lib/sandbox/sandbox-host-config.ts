// The engine's HostConfig for the sandbox limits: one translation of RunLimits, used for learner
// containers and for the learner's workstation alike.
import type Docker from 'dockerode';
import type { RunLimits } from './limits';

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
