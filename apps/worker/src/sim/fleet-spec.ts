import { gpuProfiles, type GpuProfile } from './gpu-profiles.js';

export interface MachineSpec {
  readonly gpus: readonly GpuProfile[];
}

/**
 * Parses a fleet description such as `H100-80GB*6,2xH200-141GB*2,L40S-48GB*4`: comma-separated
 * groups of `[<gpus per machine>x]<profile>[*<machines>]`. A machine's GPUs are all the same model.
 */
export function parseFleetSpec(spec: string): MachineSpec[] {
  const machines: MachineSpec[] = [];
  for (const rawGroup of spec.split(',')) {
    const group = rawGroup.trim();
    const match = /^(?:(\d+)x)?([A-Za-z0-9-]+)(?:\*(\d+))?$/.exec(group);
    if (!match) throw new Error(`fleet group "${group}" is not of the form [Nx]PROFILE[*COUNT]`);
    const [, perMachine = '1', profileName = '', count = '1'] = match;
    const profile = gpuProfiles[profileName];
    if (!profile) throw new Error(`unknown GPU profile "${profileName}" (known: ${Object.keys(gpuProfiles).join(', ')})`);
    const gpus = Number(perMachine);
    const machinesInGroup = Number(count);
    if (gpus < 1 || gpus > 8) throw new Error(`fleet group "${group}": 1 to 8 GPUs per machine`);
    if (machinesInGroup < 1) throw new Error(`fleet group "${group}": at least one machine`);
    for (let i = 0; i < machinesInGroup; i++) machines.push({ gpus: Array.from({ length: gpus }, () => profile) });
  }
  if (machines.length === 0) throw new Error('the fleet has no machine');
  return machines;
}
