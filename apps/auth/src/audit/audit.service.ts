import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Principal, type auditQuery } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';
import { RpcFailure } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';
import { type z } from 'zod';

import { assertTenantVisible } from '../access/access-policy.js';
import { CLOCK, type AuthConfig, type Clock } from '../auth.config.js';
import { type PrismaClient } from '../generated/prisma/client.js';
import { chainOf, chainVerifier, checkpointValid, signCheckpoint } from './audit-chain.js';
import { AuditRepository, toAuditView } from './audit.repository.js';

const VERIFY_PAGE = 5000;

@Injectable()
export class AuditService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('audit');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly records: AuditRepository,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.applyRetention(), this.config.RETENTION_CHECK_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async query(caller: Principal, query: z.infer<typeof auditQuery>) {
    assertTenantVisible(caller, query.tenantId, 'audit trail');
    const beforeSeq = query.after !== undefined ? this.cursorSeq(query.after) : undefined;
    const rows = await this.records.page({
      chain: chainOf(query.tenantId),
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      action: query.action,
      keyId: query.keyId,
      beforeSeq,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { data: page.map(toAuditView), nextCursor: rows.length > query.limit && last ? `seq_${last.seq}` : null };
  }

  async verify(caller: Principal, tenantId: string) {
    assertTenantVisible(caller, tenantId, 'audit trail');
    const chain = chainOf(tenantId);
    const start = await this.records.start(chain, (seq, hash, sig) => checkpointValid(this.config.AUDIT_SIGNING_SECRET, chain, seq, hash, sig));
    if (start === 'forged') {
      return { tenantId, ok: false, checked: 0, checkpointSeq: 0, firstBrokenSeq: null, problem: 'the retention checkpoint does not carry a valid signature' };
    }
    const verifier = chainVerifier(start);
    // The head first: records appended while the pages are read (this very request is audited)
    // are after it and left for the next verification, not taken for a deleted tail.
    const head = await this.records.head(chain);
    for (let after = start.seq; ; ) {
      const page = (await this.records.ascending(chain, after, VERIFY_PAGE)).filter((r) => r.seq <= head);
      verifier.feed(page);
      const last = page.at(-1);
      if (!last || page.length < VERIFY_PAGE || last.seq >= head) break;
      after = last.seq;
    }
    const result = verifier.result(head);
    return { tenantId, ok: result.ok, checked: result.checked, checkpointSeq: Number(start.seq), firstBrokenSeq: result.firstBrokenSeq === null ? null : Number(result.firstBrokenSeq), problem: result.problem };
  }

  /** Removes records older than each tenant's retention period, leaving signed checkpoints. */
  async applyRetention(): Promise<number> {
    let removed = 0;
    try {
      const tenants = await this.prisma.tenant.findMany({ select: { id: true, auditRetentionDays: true } });
      for (const tenant of tenants) {
        const cutoff = new Date(this.now().getTime() - tenant.auditRetentionDays * 86_400_000);
        const chain = chainOf(tenant.id);
        removed += await this.records.removeBefore(chain, cutoff, (seq, hash) => signCheckpoint(this.config.AUDIT_SIGNING_SECRET, chain, seq, hash));
      }
      if (removed > 0) this.logger.log({ msg: 'audit retention applied', removed });
    } catch (error) {
      this.logger.error({ msg: 'audit retention failed', err: error instanceof Error ? error.stack : String(error) });
    }
    return removed;
  }

  private cursorSeq(cursor: string): bigint {
    const match = /^seq_(\d{1,18})$/.exec(cursor);
    if (!match?.[1]) throw new RpcFailure('invalid_request', 'The cursor is not one this API returned.', 'after');
    return BigInt(match[1]);
  }
}
