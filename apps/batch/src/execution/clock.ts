import { Injectable } from '@nestjs/common';

/**
 * This service's now. Batches expire 24 hours after creation; tests move the clock instead of
 * waiting (only where BATCH_TEST_CLOCK=true lets them: see files/internal-routes.ts).
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    this.offsetMs += ms;
    return this.now();
  }
}
