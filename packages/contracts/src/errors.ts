import { z } from 'zod';

/**
 * The error a request/reply handler answers with. It crosses Kafka as data so the caller can turn
 * it into the right HTTP status without guessing from a message string.
 */
export const rpcErrorCodes = ['invalid_request', 'not_found', 'forbidden', 'conflict', 'unavailable', 'internal'] as const;
export const rpcError = z.object({
  code: z.enum(rpcErrorCodes),
  message: z.string(),
  param: z.string().nullable().default(null),
});
export type RpcError = z.infer<typeof rpcError>;
export type RpcErrorCode = RpcError['code'];
