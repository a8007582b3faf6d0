import { Injectable } from '@nestjs/common';

export type DependencyCheck = () => Promise<boolean>;

/**
 * The dependencies a service needs before it may take traffic. Adapters (Kafka, Postgres, Redis)
 * register their own check; /readyz and the status RPC report them all.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, DependencyCheck>();

  register(name: string, check: DependencyCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check ${name} registered twice`);
    this.checks.set(name, check);
  }

  async evaluate(): Promise<{ ready: boolean; dependencies: Record<string, 'up' | 'down'> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        const up = await check().catch(() => false);
        return [name, up ? 'up' : 'down'] as const;
      }),
    );
    return { ready: entries.every(([, state]) => state === 'up'), dependencies: Object.fromEntries(entries) };
  }
}
