import { createHmac } from 'node:crypto';

import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { auditEventOf, topics } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';
import { request } from 'undici';

import { type BatchConfig } from '../batch.config.js';
import { type Batch } from '../generated/prisma/client.js';
import { newId } from '../ids.js';
import { DataKeys } from '../storage/data-keys.service.js';
import { BatchQueues, type WebhookJob } from './batch-queues.js';

/**
 * Standard Webhooks signature (what OpenAI's webhooks use, and what `openai.webhooks.unwrap`
 * verifies): HMAC-SHA256 over `id.timestamp.body` with the secret after `whsec_`, base64.
 */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The event OpenAI sends when a batch ends (`batch.completed`, `batch.failed`, `batch.expired`, `batch.cancelled`). */
export function webhookEvent(job: Pick<WebhookJob, 'eventId' | 'type' | 'createdAt' | 'batchId'>) {
  return { object: 'event', id: job.eventId, type: job.type, created_at: job.createdAt, data: { id: job.batchId } };
}

/** A batch's completion webhook: queued once per batch end, signed per tenant, retried with exponential backoff. */
@Injectable()
export class Webhooks implements OnModuleInit {
  private readonly logger = new Logger('webhooks');

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BatchConfig,
    private readonly queues: BatchQueues,
    private readonly keys: DataKeys,
    private readonly events: EventPublisher,
  ) {}

  onModuleInit(): void {
    this.queues.work<WebhookJob>('webhooks', (job) => this.deliver(job.data), { concurrency: 8 });
  }

  async enqueue(batch: Batch): Promise<void> {
    if (!batch.webhookUrl) return;
    const job: WebhookJob = { batchId: batch.id, tenantId: batch.tenantId, url: batch.webhookUrl, eventId: newId('evt_'), type: `batch.${batch.status}`, createdAt: Math.floor(Date.now() / 1000) };
    await this.queues.add('webhooks', `${batch.id}-webhook`, job, { attempts: this.config.BATCH_WEBHOOK_ATTEMPTS, backoff: { type: 'exponential', delay: this.config.BATCH_WEBHOOK_BACKOFF_MS }, removeOnFail: { count: 1000 } });
  }

  private async deliver(job: WebhookJob): Promise<void> {
    const body = JSON.stringify(webhookEvent(job));
    const timestamp = Math.floor(Date.now() / 1000);
    const secret = await this.keys.webhookSecret(job.tenantId);
    const response = await request(job.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': job.eventId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, job.eventId, timestamp, body), 'user-agent': 'llmaas-batch-webhook/1' },
      body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`webhook ${job.url} answered ${response.statusCode}`);
    this.events
      .publish(topics.auditEvents, auditEventOf('batch', 'system', 'batch.webhook_delivered', `batch:${job.batchId}`, job.tenantId))
      .catch((error: unknown) => this.logger.warn({ msg: 'audit event not published', err: String(error) }));
  }
}
