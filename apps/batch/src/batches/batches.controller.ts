import { Controller } from '@nestjs/common';
import { rpc } from '@llmaas/contracts';
import { RpcHandler } from '@llmaas/kafka';
import { type z } from 'zod';

import { BatchesService } from './batches.service.js';

type Req<K extends keyof typeof rpc> = z.infer<(typeof rpc)[K]['request']>;

/** The Batch API, answered over Kafka for the gateway's REST. */
@Controller()
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @RpcHandler(rpc.batchCreate)
  create({ caller, batch }: Req<'batchCreate'>) {
    return this.batches.create(caller, batch);
  }

  @RpcHandler(rpc.batchGet)
  get({ caller, batchId }: Req<'batchGet'>) {
    return this.batches.get(caller, batchId);
  }

  @RpcHandler(rpc.batchList)
  list({ caller, query }: Req<'batchList'>) {
    return this.batches.list(caller, query);
  }

  @RpcHandler(rpc.batchCancel)
  cancel({ caller, batchId }: Req<'batchCancel'>) {
    return this.batches.cancel(caller, batchId);
  }
}
