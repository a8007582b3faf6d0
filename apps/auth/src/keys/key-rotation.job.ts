import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { type AuthConfig } from '../auth.config.js';
import { KeysService, type RotationNotice } from './keys.service.js';

const WEBHOOK_ATTEMPTS = 4;

/**
 * Runs the automatic rotation every ROTATION_CHECK_INTERVAL_MS and tells each tenant that has a
 * webhook (POST, JSON, retried with backoff). The audit event `key.auto_rotate` is the durable notice.
 */
@Injectable()
export class KeyRotationJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('key-rotation');
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly keys: KeysService,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.config.ROTATION_CHECK_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async runOnce(): Promise<RotationNotice[]> {
    if (this.running) return [];
    this.running = true;
    try {
      const notices = await this.keys.rotateDueKeys();
      if (notices.length > 0) this.logger.log({ msg: 'keys rotated automatically', count: notices.length });
      await Promise.all(notices.filter((n) => n.webhookUrl).map((n) => this.notify(n)));
      return notices;
    } catch (error) {
      this.logger.error({ msg: 'automatic rotation failed', err: error instanceof Error ? error.stack : String(error) });
      return [];
    } finally {
      this.running = false;
    }
  }

  private async notify(notice: RotationNotice): Promise<void> {
    const body = JSON.stringify({
      type: 'api_key.rotated',
      tenant_id: notice.tenantId,
      key_id: notice.predecessorId,
      successor_key_id: notice.successorId,
      predecessor_expires_at: notice.predecessorExpiresAt,
      // The secret never travels in a webhook: a tenant admin fetches it once from the API.
      fetch_secret: `/admin/v1/keys/${notice.successorId}/secret`,
    });
    for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt++) {
      try {
        const res = await fetch(notice.webhookUrl ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5000) });
        if (res.ok) return;
        this.logger.warn({ msg: 'rotation webhook refused', status: res.status, attempt, tenantId: notice.tenantId });
      } catch (error) {
        this.logger.warn({ msg: 'rotation webhook failed', attempt, tenantId: notice.tenantId, err: error instanceof Error ? error.message : String(error) });
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}
