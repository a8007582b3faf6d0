import { Controller } from '@nestjs/common';
import { rpc, type RequestOf } from '@llmaas/contracts';
import { RpcHandler } from '@llmaas/kafka';

import { TenantsService } from './tenants.service.js';

@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @RpcHandler(rpc.tenantCreate)
  create(req: RequestOf<typeof rpc.tenantCreate>) {
    return this.tenants.create(req.caller, req.tenant);
  }

  @RpcHandler(rpc.tenantList)
  async list(req: RequestOf<typeof rpc.tenantList>) {
    return { data: await this.tenants.list(req.caller) };
  }

  @RpcHandler(rpc.tenantGet)
  get(req: RequestOf<typeof rpc.tenantGet>) {
    return this.tenants.get(req.caller, req.tenantId);
  }

  @RpcHandler(rpc.tenantUpdate)
  update(req: RequestOf<typeof rpc.tenantUpdate>) {
    return this.tenants.update(req.caller, req.tenantId, req.patch);
  }
}
