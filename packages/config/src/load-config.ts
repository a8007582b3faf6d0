import { type z } from 'zod';

/** Thrown when the environment does not satisfy a service's schema; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const secrets = new WeakSet<z.ZodType>();

/** Marks a variable as sensitive so it never reaches a log line. */
export function secret<T extends z.ZodType>(schema: T): T {
  secrets.add(schema);
  return schema;
}

function describeIssue(issue: z.core.$ZodIssue, shape: Record<string, z.ZodType>, env: Record<string, string | undefined>): string {
  const key = String(issue.path[0] ?? '');
  const help = shape[key]?.description;
  const suffix = help ? ` (${help})` : '';
  if (env[key] === undefined || env[key] === '') return `missing required environment variable ${key}${suffix}`;
  return `environment variable ${key} is invalid: ${issue.message}${suffix}`;
}

/**
 * Validates the environment once at start. Empty strings count as unset, because a
 * `FOO=` line in an env file means "not configured", not "configured as empty".
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> {
  const cleaned: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    cleaned[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const shape = schema.shape as unknown as Record<string, z.ZodType>;
    const problems = result.error.issues.map((issue) => describeIssue(issue, shape, cleaned));
    throw new ConfigError([...new Set(problems)].sort());
  }
  return result.data;
}

/** A copy of the config fit for a start-up log line: secrets replaced by a marker. */
export function redactConfig<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const shape = schema.shape as unknown as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(config)) {
    const field = shape[key];
    const sensitive = field !== undefined && isSecret(field);
    out[key] = sensitive ? '[redacted]' : value;
  }
  return out;
}

function isSecret(field: z.ZodType): boolean {
  if (secrets.has(field)) return true;
  // `.default()` / `.optional()` wrap the marked schema; look through the wrappers.
  const inner = (field as { _zod?: { def?: { innerType?: z.ZodType } } })._zod?.def?.innerType;
  return inner !== undefined && isSecret(inner);
}
