declare module 'fastify' {
  interface FastifyRequest {
    /** Per-hop durations of an API request, sent back as `Server-Timing`. */
    timing?: HopTiming;
  }
}

/**
 * Where a request's time went at the gateway (auth, body parse, catalog, validation, assignment,
 * the worker's response headers), in a `Server-Timing` header: the benchmark reads it to say
 * which hop to make faster, and so can anyone with curl.
 */
export class HopTiming {
  private last: number;
  private readonly hops: string[] = [];

  constructor(start = performance.now()) {
    this.last = start;
  }

  mark(hop: string): void {
    const now = performance.now();
    this.hops.push(`${hop};dur=${(now - this.last).toFixed(3)}`);
    this.last = now;
  }

  header(): string {
    return this.hops.join(', ');
  }
}
