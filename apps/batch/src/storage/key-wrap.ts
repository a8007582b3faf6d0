import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Envelope encryption: each tenant has one random data key, stored only wrapped by a master key
 * from configuration. Rotating the master key re-wraps the data keys (a few bytes per tenant) and
 * never touches the files or rows they protect.
 */

export interface MasterKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export class KeyUnwrapError extends Error {
  override readonly name = 'KeyUnwrapError';
}

export class BlobIntegrityError extends Error {
  override readonly name = 'BlobIntegrityError';
}

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const WRAPPED_BYTES = NONCE_BYTES + KEY_BYTES + TAG_BYTES;
const MASTER_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * Parses BATCH_MASTER_KEYS, "id:<64 hex chars>[,id2:<hex>...]". The first key is the current one
 * (it wraps new data keys); the others stay only to unwrap data keys during a rotation.
 * Error messages never echo key material, only entry numbers and ids.
 */
export function parseMasterKeys(spec: string): {
  current: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
} {
  const fail = (what: string): never => {
    throw new Error(`BATCH_MASTER_KEYS: ${what}`);
  };
  if (spec.trim() === '') fail('is empty; expected "id:<64 hex chars>[,id2:<64 hex chars>...]"');

  const byId = new Map<string, MasterKey>();
  spec.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    const n = index + 1;
    const colon = entry.indexOf(':');
    if (entry === '') fail(`entry ${n} is empty (stray comma?)`);
    if (colon < 0) fail(`entry ${n} is not "id:<64 hex chars>"`);
    const id = entry.slice(0, colon);
    const hex = entry.slice(colon + 1);
    if (!MASTER_KEY_ID.test(id)) {
      fail(`entry ${n} has an invalid id (use 1-64 of A-Z a-z 0-9 _ . -, starting alphanumeric)`);
    }
    if (!HEX_KEY.test(hex)) {
      fail(
        `key "${id}" must be exactly 64 hex characters (32 bytes), got ${hex.length} characters`,
      );
    }
    if (byId.has(id)) fail(`duplicate key id "${id}"`);
    byId.set(id, { id, key: Buffer.from(hex, 'hex') });
  });

  const current = byId.values().next().value ?? fail('no keys');
  return { current, byId };
}

export function generateDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * AES-256-GCM under the master key; nonce|ciphertext|tag. The AAD ties it to tenant and master id.
 * Buffer<ArrayBuffer> results go straight into Prisma Bytes columns.
 */
export function wrapDataKey(
  master: MasterKey,
  tenantId: string,
  dataKey: Buffer,
): Buffer<ArrayBuffer> {
  assertKey(master.key, `master key "${master.id}"`);
  assertKey(dataKey, 'data key');
  return seal(master.key, wrapAad(master.id, tenantId), dataKey);
}

export function unwrapDataKey(
  master: MasterKey,
  tenantId: string,
  wrapped: Buffer,
): Buffer<ArrayBuffer> {
  assertKey(master.key, `master key "${master.id}"`);
  const dataKey =
    wrapped.length === WRAPPED_BYTES
      ? open(master.key, wrapAad(master.id, tenantId), wrapped)
      : null;
  if (!dataKey) {
    throw new KeyUnwrapError(
      `cannot unwrap the data key of tenant "${tenantId}" with master key "${master.id}": ` +
        'wrong master key or tenant, or the wrapped key is corrupted',
    );
  }
  return dataKey;
}

/**
 * Small values (result rows, webhook secrets) under a tenant data key. The caller's AAD names what
 * the value is and where it belongs (e.g. "result:<batch>:<row>"), so a value copied elsewhere fails.
 */
export function encryptBlob(key: Buffer, aad: string, plaintext: Buffer): Buffer<ArrayBuffer> {
  assertKey(key, 'data key');
  return seal(key, blobAad(aad), plaintext);
}

export function decryptBlob(key: Buffer, aad: string, blob: Buffer): Buffer<ArrayBuffer> {
  assertKey(key, 'data key');
  const plaintext = blob.length >= NONCE_BYTES + TAG_BYTES ? open(key, blobAad(aad), blob) : null;
  if (!plaintext) {
    throw new BlobIntegrityError(
      `encrypted value for "${aad}" failed authentication (tampered, truncated, wrong key or wrong context)`,
    );
  }
  return plaintext;
}

function seal(key: Buffer, aad: Buffer, plaintext: Buffer): Buffer<ArrayBuffer> {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** null when authentication fails, so each caller throws its own error type. */
function open(key: Buffer, aad: Buffer, sealed: Buffer): Buffer<ArrayBuffer> | null {
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return null;
  }
}

// Length-prefixed parts with a purpose label: no two (purpose, id, tenant) triples encode alike,
// and a wrapped key can never pass as a blob (or the reverse) even under the same key.
function encodeAad(...parts: string[]): Buffer {
  return Buffer.concat(
    parts.flatMap((part) => {
      const bytes = Buffer.from(part, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}

function wrapAad(masterId: string, tenantId: string): Buffer {
  return encodeAad('llmaas-batch/data-key/v1', masterId, tenantId);
}

function blobAad(aad: string): Buffer {
  return encodeAad('llmaas-batch/blob/v1', aad);
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) {
    throw new RangeError(`${what} must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
}
