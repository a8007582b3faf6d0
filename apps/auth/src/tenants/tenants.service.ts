import { Inject, Injectable } from '@nestjs/common';
import { type Principal, type TenantView, type tenantCreate, type tenantUpdate } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';
import { RpcFailure } from '@llmaas/kafka';
import { type z } from 'zod';

import { assertMayPatchTenant, assertTenantVisible } from '../access/access-policy.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { TablePublisher } from '../publishing/table-publisher.service.js';
import { toTenantView } from './tenant-mapping.js';

type TenantPatch = z.infer<typeof tenantUpdate>;

function toColumns(patch: TenantPatch): Prisma.TenantUpdateInput {
  return {
    name: patch.name,
    status: patch.status,
    tier: patch.tier,
    guardEnabled: patch.guard?.enabled,
    guardThreshold: patch.guard ? new Prisma.Decimal(patch.guard.threshold) : undefined,
    allowedModels: patch.models,
    auditRetentionDays: patch.auditRetentionDays,
    contactEmails: patch.contactEmails,
    webhookUrl: patch.webhookUrl,
    rotationDays: patch.rotationDays,
    betaOptIn: patch.betaOptIn,
    ...(patch.legal ? { legalName: patch.legal.legalName, addressLine: patch.legal.addressLine, postalCode: patch.legal.postalCode, city: patch.legal.city, country: patch.legal.country, vatNumber: patch.legal.vatNumber } : {}),
  };
}

@Injectable()
export class TenantsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly tables: TablePublisher,
  ) {}

  async create(caller: Principal, input: z.infer<typeof tenantCreate>): Promise<TenantView> {
    if (caller.role !== 'operator') throw new RpcFailure('forbidden', 'Only a platform operator may create tenants.');
    const { id, ...patch } = input;
    try {
      const tenant = await this.prisma.tenant.create({ data: { ...(toColumns(patch) as Prisma.TenantCreateInput), id, name: input.name } });
      await this.tables.tenantChanged(tenant);
      await this.tables.audit(caller, 'tenant.create', `tenant:${id}`, id);
      return toTenantView(tenant);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new RpcFailure('conflict', `A tenant with id '${id}' already exists.`, 'id');
      }
      throw error;
    }
  }

  async list(caller: Principal): Promise<TenantView[]> {
    const where = caller.role === 'operator' ? {} : { id: caller.tenantId };
    if (caller.role !== 'operator' && caller.role !== 'tenant_admin') return [];
    return (await this.prisma.tenant.findMany({ where, orderBy: { createdAt: 'asc' } })).map(toTenantView);
  }

  async get(caller: Principal, tenantId: string): Promise<TenantView> {
    assertTenantVisible(caller, tenantId);
    const tenant = await this.prisma.tenant.findUnique({ where: { id: tenantId } });
    if (!tenant) throw new RpcFailure('not_found', `No tenant found with id '${tenantId}'.`, 'tenant_id');
    return toTenantView(tenant);
  }

  async update(caller: Principal, tenantId: string, patch: TenantPatch): Promise<TenantView> {
    assertTenantVisible(caller, tenantId);
    assertMayPatchTenant(caller, patch);
    const exists = await this.prisma.tenant.count({ where: { id: tenantId } });
    if (!exists) throw new RpcFailure('not_found', `No tenant found with id '${tenantId}'.`, 'tenant_id');
    const tenant = await this.prisma.tenant.update({ where: { id: tenantId }, data: toColumns(patch) });
    await this.tables.tenantChanged(tenant);
    const fields = Object.keys(patch).filter((k) => patch[k as keyof TenantPatch] !== undefined).join(',');
    await this.tables.audit(caller, patch.guard ? 'tenant.guard_policy.update' : 'tenant.update', `tenant:${tenantId}:${fields}`, tenantId);
    return toTenantView(tenant);
  }
}
