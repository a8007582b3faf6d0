import { Controller } from '@nestjs/common';
import { rpc, type RequestOf } from '@llmaas/contracts';
import { RpcHandler } from '@llmaas/kafka';

import { AuditService } from './audit.service.js';

@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @RpcHandler(rpc.auditQuery)
  query(req: RequestOf<typeof rpc.auditQuery>) {
    return this.audit.query(req.caller, req.query);
  }

  @RpcHandler(rpc.auditVerify)
  verify(req: RequestOf<typeof rpc.auditVerify>) {
    return this.audit.verify(req.caller, req.tenantId);
  }
}
