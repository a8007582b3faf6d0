import { Controller } from '@nestjs/common';
import { rpc, type RequestOf } from '@llmaas/contracts';
import { RpcHandler } from '@llmaas/kafka';

import { KeysService } from './keys.service.js';

@Controller()
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  @RpcHandler(rpc.keyCreate)
  create(req: RequestOf<typeof rpc.keyCreate>) {
    return this.keys.create(req.caller, req.tenantId, req.key);
  }

  @RpcHandler(rpc.keyList)
  async list(req: RequestOf<typeof rpc.keyList>) {
    return { data: await this.keys.list(req.caller, req.tenantId) };
  }

  @RpcHandler(rpc.keyGet)
  get(req: RequestOf<typeof rpc.keyGet>) {
    return this.keys.get(req.caller, req.keyId);
  }

  @RpcHandler(rpc.keyRotate)
  rotate(req: RequestOf<typeof rpc.keyRotate>) {
    return this.keys.rotate(req.caller, req.keyId, req.overlapHours);
  }

  @RpcHandler(rpc.keyRevoke)
  revoke(req: RequestOf<typeof rpc.keyRevoke>) {
    return this.keys.revoke(req.caller, req.keyId);
  }

  @RpcHandler(rpc.keySuccessorSecret)
  successorSecret(req: RequestOf<typeof rpc.keySuccessorSecret>) {
    return this.keys.successorSecret(req.caller, req.keyId);
  }
}
