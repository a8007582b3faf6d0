/**
 * Tells a failing dependency once when it starts failing and once when it recovers, so a server
 * down for an hour is two log lines, not one per poll.
 */
export class TransitionLog {
  private failing = false;

  constructor(
    private readonly onFailing: (error: string) => void,
    private readonly onRecovered: () => void,
  ) {}

  ok(): void {
    if (this.failing) this.onRecovered();
    this.failing = false;
  }

  failed(error: unknown): void {
    if (!this.failing) this.onFailing(error instanceof Error ? error.message : String(error));
    this.failing = true;
  }

  get isFailing(): boolean {
    return this.failing;
  }
}
