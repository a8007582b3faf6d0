import { createHash } from 'node:crypto';

const CHECKSUM_LENGTH = 64;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The checksum Prisma records for a migration script: SHA-256 of its text, lower-case hex. */
export function migrationChecksum(sql: string): string {
  return sha256(sql).toString('hex');
}

/**
 * Whether a script matches a recorded checksum, with the tolerance of Prisma's schema engine:
 * line endings may differ (a Windows checkout turns \n into \r\n), and checksums written by old
 * engines dropped the leading zero of each byte.
 */
export function checksumMatches(sql: string, recorded: string): boolean {
  const legacy = recorded.length > 0 && recorded.length !== CHECKSUM_LENGTH;
  return [sql, sql.replaceAll('\r\n', '\n'), sql.replaceAll('\n', '\r\n')].some((variant) => {
    const digest = sha256(variant);
    const rendered = legacy ? [...digest].map((byte) => byte.toString(16)).join('') : digest.toString('hex');
    return rendered === recorded;
  });
}
