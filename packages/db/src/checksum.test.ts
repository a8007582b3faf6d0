import { describe, expect, it } from 'vitest';

import { checksumMatches, migrationChecksum } from './checksum.js';

describe('migration checksums', () => {
  it('are SHA-256 in lower-case hex, as Prisma renders them', () => {
    // The vector of Prisma's own test (schema-connector checksum.rs).
    expect(migrationChecksum('hello')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  it('match across line endings, and not across content', () => {
    const unix = 'CREATE TABLE a ();\nCREATE TABLE b ();\n';
    const windows = unix.replaceAll('\n', '\r\n');
    expect(checksumMatches(windows, migrationChecksum(unix))).toBe(true);
    expect(checksumMatches(unix, migrationChecksum(windows))).toBe(true);
    expect(checksumMatches('abc\n', migrationChecksum('abc'))).toBe(false);
    expect(checksumMatches('abc', migrationChecksum('abcd'))).toBe(false);
  });

  it('accept the unpadded form written by old Prisma engines', () => {
    const sql = 'hello';
    const unpadded = [...Buffer.from(migrationChecksum(sql), 'hex')].map((byte) => byte.toString(16)).join('');
    expect(unpadded.length).toBeLessThan(64);
    expect(checksumMatches(sql, unpadded)).toBe(true);
  });
});
