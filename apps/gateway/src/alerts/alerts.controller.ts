import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { topics, type PlatformAlert } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';
import { z } from 'zod';

import { Roles, RolesGuard } from '../auth/roles.guard.js';
import { parseInput } from '../http/parse-input.js';
import { AlertTable } from './alert-table.service.js';

/** Alertmanager's webhook payload (version 4), the parts we keep. */
const alertmanagerWebhook = z.object({
  version: z.string().optional(),
  status: z.enum(['firing', 'resolved']),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: z.record(z.string(), z.string()),
        annotations: z.record(z.string(), z.string()).default({}),
        startsAt: z.string(),
        endsAt: z.string().optional(),
        generatorURL: z.string().optional(),
        fingerprint: z.string().min(1).max(64),
      }),
    )
    .max(1000),
});
const listQuery = z.object({ state: z.enum(['firing', 'resolved', 'all']).default('all') });

// Alertmanager writes "0001-01-01T00:00:00Z" for an alert that has not ended.
const instant = (value: string | undefined) => (value && !value.startsWith('0001-') ? new Date(value).toISOString() : null);

/** Alerts Alertmanager delivers (operator key, from its credentials file), recorded and shown to operators. */
@Controller('admin/v1/alerts')
@UseGuards(RolesGuard)
@Roles('operator')
export class AlertsController {
  constructor(
    private readonly events: EventPublisher,
    private readonly table: AlertTable,
  ) {}

  @Post()
  @HttpCode(200)
  async receive(@Body() body: unknown) {
    const payload = parseInput(alertmanagerWebhook, body);
    const receivedAt = new Date().toISOString();
    const alerts: PlatformAlert[] = payload.alerts.map((a) => ({
      fingerprint: a.fingerprint,
      status: a.status,
      alertname: a.labels.alertname ?? 'unnamed',
      severity: a.labels.severity ?? null,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: instant(a.startsAt) ?? receivedAt,
      endsAt: a.status === 'resolved' ? (instant(a.endsAt) ?? receivedAt) : null,
      generatorURL: a.generatorURL ?? null,
      receivedAt,
    }));
    await this.events.publishMany(topics.monitoringAlerts, alerts);
    return { recorded: alerts.length };
  }

  @Get()
  list(@Query() query: unknown) {
    const { state } = parseInput(listQuery, query);
    const data = this.table
      .all()
      .filter((a) => state === 'all' || a.status === state)
      .sort((a, b) => (a.status === b.status ? b.startsAt.localeCompare(a.startsAt) : a.status === 'firing' ? -1 : 1));
    return { object: 'list', data };
  }
}
