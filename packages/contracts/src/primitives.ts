import { z } from 'zod';

/** RFC 3339 timestamp with offset, as produced by `Date.prototype.toISOString()`. */
export const timestamp = z.iso.datetime({ offset: true });
export const id = z.string().min(1).max(200);
/** Money travels as a decimal string (never a float): "12.345678". */
export const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');
export const modelId = z.string().min(1).max(200);

export const serviceNames = ['gateway', 'auth', 'prompt-guard', 'scheduler', 'billing', 'lifecycle', 'batch', 'worker'] as const;
export const serviceName = z.enum(serviceNames);
export type ServiceName = z.infer<typeof serviceName>;

export const modelKinds = [
  'chat',
  'chat-vision',
  'embedding',
  'rerank',
  'audio-transcription',
  'ocr',
  'guard',
  'translation',
  'image-generation',
] as const;
export const modelKind = z.enum(modelKinds);
export type ModelKind = z.infer<typeof modelKind>;

export const roles = ['operator', 'tenant_admin', 'developer', 'finance'] as const;
export const role = z.enum(roles);
export type Role = z.infer<typeof role>;
