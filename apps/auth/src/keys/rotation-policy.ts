const DAY_MS = 86_400_000;

export interface RotationCandidate {
  id: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  hasSuccessor: boolean;
}

/**
 * Keys an automatic rotation must replace now: live keys without a successor that reached the
 * tenant's rotation age, or that expire within `leadDays` (their successor is issued before
 * the predecessor stops working).
 */
export function keysDueForRotation(keys: readonly RotationCandidate[], rotationDays: number, now: Date, leadDays = 7): string[] {
  const t = now.getTime();
  return keys
    .filter((k) => !k.hasSuccessor && k.revokedAt === null && (k.expiresAt === null || k.expiresAt.getTime() > t))
    .filter((k) => t - k.createdAt.getTime() >= rotationDays * DAY_MS || (k.expiresAt !== null && k.expiresAt.getTime() - t <= leadDays * DAY_MS))
    .map((k) => k.id);
}

/** The predecessor keeps working until the end of the overlap, never longer than it would have. */
export function predecessorExpiry(current: Date | null, now: Date, overlapHours: number): Date {
  const end = new Date(now.getTime() + overlapHours * 3_600_000);
  return current !== null && current < end ? current : end;
}
