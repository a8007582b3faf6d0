import { Controller } from '@nestjs/common';
import { rpc, type Principal, type RequestOf } from '@llmaas/contracts';
import { RpcFailure, RpcHandler } from '@llmaas/kafka';

import { CatalogAdminService } from './catalog-admin.service.js';

/** The catalog belongs to the platform: only operators change it or see its grants. */
function operatorOnly(caller: Principal): Principal {
  if (caller.role !== 'operator') throw new RpcFailure('forbidden', 'Only a platform operator may administer the model catalog.');
  return caller;
}

@Controller()
export class CatalogAdminController {
  constructor(private readonly admin: CatalogAdminService) {}

  @RpcHandler(rpc.modelList)
  async list(req: RequestOf<typeof rpc.modelList>) {
    operatorOnly(req.caller);
    return { data: await this.admin.list() };
  }

  @RpcHandler(rpc.modelGet)
  get(req: RequestOf<typeof rpc.modelGet>) {
    operatorOnly(req.caller);
    return this.admin.get(req.modelId);
  }

  @RpcHandler(rpc.modelCreate)
  create(req: RequestOf<typeof rpc.modelCreate>) {
    return this.admin.create(operatorOnly(req.caller), req.model);
  }

  @RpcHandler(rpc.modelUpdate)
  update(req: RequestOf<typeof rpc.modelUpdate>) {
    return this.admin.update(operatorOnly(req.caller), req.modelId, req.patch);
  }

  @RpcHandler(rpc.modelPromote)
  promote(req: RequestOf<typeof rpc.modelPromote>) {
    return this.admin.promote(operatorOnly(req.caller), req.modelId, req.promote.productionDate);
  }

  @RpcHandler(rpc.modelDeprecate)
  deprecate(req: RequestOf<typeof rpc.modelDeprecate>) {
    return this.admin.deprecate(operatorOnly(req.caller), req.modelId, req.deprecate.endOfSupportDate, req.deprecate.recommendedMigration);
  }

  @RpcHandler(rpc.modelWithdraw)
  withdraw(req: RequestOf<typeof rpc.modelWithdraw>) {
    return this.admin.withdraw(operatorOnly(req.caller), req.modelId, req.withdraw.reason);
  }

  @RpcHandler(rpc.modelGrant)
  grant(req: RequestOf<typeof rpc.modelGrant>) {
    return this.admin.grant(operatorOnly(req.caller), req.modelId, req.tenantId, req.grant.reason);
  }

  @RpcHandler(rpc.modelRevokeGrant)
  revokeGrant(req: RequestOf<typeof rpc.modelRevokeGrant>) {
    return this.admin.revokeGrant(operatorOnly(req.caller), req.modelId, req.tenantId);
  }
}
