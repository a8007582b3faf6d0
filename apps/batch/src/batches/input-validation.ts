/**
 * Validation of a batch input file, the way OpenAI does it: the batch is created first, then
 * fails with one error per bad line (`errors.data[]` with the line number), rather than the upload
 * being refused. Only the envelope and the fields a request cannot run without are checked here; a
 * bad parameter inside `body` is the worker's to answer (4xx), and that line alone goes to the
 * error file at execution.
 */
import { z } from 'zod';

import { type InputLine } from './jsonl-lines.js';

export const batchEndpoints = ['/v1/chat/completions', '/v1/embeddings', '/v1/completions', '/v1/rerank'] as const;
export type BatchEndpoint = (typeof batchEndpoints)[number];

/** One entry of the Batch object's `errors.data`. */
export interface LineError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

/** Whether the caller may use this model on this endpoint; null means allowed. */
export type ModelCheck = (model: string) => { code: string; message: string } | null;

/** Consecutive request lines run together; the byte range covers them (and any blank lines between). */
export interface Chunk {
  index: number;
  firstLine: number;
  count: number;
  start: number;
  end: number;
}

export interface ValidationResult {
  /** The first `maxErrors` line errors, plus the file-level ones (`too_many_tasks`, `empty_file`). */
  errors: LineError[];
  /** Every error found, including those not kept. */
  errorCount: number;
  /** Request lines (blank lines are not requests). */
  total: number;
  /** The file's model: the first valid line's. */
  model: string | null;
  chunks: Chunk[];
}

export interface BatchLine {
  custom_id: string;
  method: 'POST';
  url: BatchEndpoint;
  body: Record<string, unknown> & { model: string };
}

export interface InputValidatorOptions {
  endpoint: BatchEndpoint;
  /** 50,000 at OpenAI. */
  maxRequests: number;
  /** Total inputs over all lines of an `/v1/embeddings` batch; 50,000 at OpenAI. */
  maxEmbeddingInputs: number;
  chunkLines: number;
  checkModel: ModelCheck;
  /** Errors kept in the result (the Batch object shows them); default 100. */
  maxErrors?: number;
}

const maxCustomIdLength = 512;

// A custom message per failure: the error list is all a user sees of a failed batch.
const required = (field: string, kind: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `Missing required field '${field}'.` : `'${field}' must be ${kind}.`;

const lineSchema = z.object(
  {
    custom_id: z
      .string({ error: required('custom_id', 'a string') })
      .min(1, { error: "'custom_id' must not be empty." })
      .max(maxCustomIdLength, { error: `'custom_id' must be at most ${maxCustomIdLength} characters.` }),
    method: z.literal('POST', {
      error: (issue) => (issue.input === undefined ? "Missing required field 'method'." : `'method' must be "POST", got ${JSON.stringify(issue.input)}.`),
    }),
    url: z.string({ error: required('url', 'a string') }),
    body: z.looseObject(
      {
        model: z.string({ error: required('body.model', 'a string') }).min(1, { error: "'body.model' must not be empty." }),
      },
      { error: required('body', 'an object') },
    ),
  },
  { error: 'Each line must be a JSON object.' },
);

function lineError(code: string, message: string, param: string | null, line: number | null): LineError {
  return { code, message, param, line };
}

const invalidRequest = (message: string, param: string | null, line: number) => lineError('invalid_request', message, param, line);

/** `"True"` is how vLLM's suite tests this; a string "false" or "0" is left to the worker. */
function asksForStream(value: unknown): boolean {
  if (typeof value === 'string') return !/^\s*(false|0)?\s*$/i.test(value);
  return Boolean(value);
}

const isPresent = (value: unknown) => value !== undefined && value !== null;

/** The field an endpoint cannot run without, if missing: [param, message]. */
function missingField(endpoint: BatchEndpoint, body: Record<string, unknown>): [string, string] | null {
  switch (endpoint) {
    case '/v1/chat/completions':
      if (!isPresent(body.messages)) return ['body.messages', "Missing required field 'body.messages'."];
      if (!Array.isArray(body.messages)) return ['body.messages', "'body.messages' must be an array."];
      return null;
    case '/v1/completions':
      return isPresent(body.prompt) ? null : ['body.prompt', "Missing required field 'body.prompt'."];
    case '/v1/embeddings':
      return isPresent(body.input) ? null : ['body.input', "Missing required field 'body.input'."];
    case '/v1/rerank':
      if (!isPresent(body.query)) return ['body.query', "Missing required field 'body.query'."];
      // TEI's form names the documents `texts`; the gateway accepts both.
      if (!isPresent(body.documents) && !isPresent(body.texts)) return ['body.documents', "Missing required field 'body.documents' (or 'body.texts')."];
      return null;
  }
}

/**
 * How many inputs an embeddings request carries, for the per-batch limit: one per string, and a
 * flat array of numbers is one tokenized input, not many.
 */
export function embeddingInputCount(input: unknown): number {
  if (!Array.isArray(input)) return 1;
  if (input.length > 0 && input.every((x) => typeof x === 'number')) return 1;
  return input.length;
}

/** Parses one line (used again at execution): the zod-validated shape, or a LineError. */
export function parseBatchLine(text: string, lineNo: number, endpoint: BatchEndpoint): BatchLine | LineError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return lineError('invalid_json_line', 'This line is not parseable as valid JSON.', null, lineNo);
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) {
    // Issues come in field order; the first is the one to fix first.
    const issue = parsed.error.issues[0];
    const param = issue && issue.path.length > 0 ? issue.path.join('.') : null;
    return invalidRequest(issue?.message ?? 'Invalid request line.', param, lineNo);
  }
  const { custom_id, url, body } = parsed.data;
  if (url !== endpoint) {
    return lineError('url_mismatch', `The line's url ${JSON.stringify(url)} does not match the batch endpoint ${JSON.stringify(endpoint)}.`, 'url', lineNo);
  }
  if (asksForStream(body.stream)) return invalidRequest('Streaming is not supported in a batch.', 'body.stream', lineNo);
  const missing = missingField(endpoint, body);
  if (missing) return invalidRequest(missing[1], missing[0], lineNo);
  return { custom_id, method: 'POST', url: endpoint, body };
}

export function isLineError(value: BatchLine | LineError): value is LineError {
  return 'code' in value;
}

/**
 * Validates a batch input file line by line as it streams past. Memory is O(lines) only for the
 * custom_id set (and one entry per chunk); each line is otherwise forgotten once checked.
 */
export class InputValidator {
  private readonly maxErrors: number;
  private readonly kept: LineError[] = [];
  private readonly fileErrors: LineError[] = [];
  private errorCount = 0;
  private total = 0;
  private embeddingInputs = 0;
  private model: { name: string; line: number } | null = null;
  private readonly customIds = new Map<string, number>();
  private readonly chunks: Chunk[] = [];
  private open: Chunk | null = null;
  private tooManyRequests = false;
  private tooManyInputs = false;

  constructor(private readonly options: InputValidatorOptions) {
    this.maxErrors = options.maxErrors ?? 100;
  }

  add(line: InputLine): void {
    // Blank lines are neither requests nor errors (a trailing empty line is common); they keep
    // their physical number so that error line numbers match the user's editor.
    if (line.text.trim() === '') return;
    this.total++;
    if (this.total > this.options.maxRequests) {
      if (!this.tooManyRequests) {
        this.tooManyRequests = true;
        this.fileError(`The input file has more than ${this.options.maxRequests} requests, the maximum per batch.`);
      }
      // The batch fails anyway: lines past the limit are counted but not held (custom_id set).
      this.closeChunk();
      return;
    }
    const error = this.check(line);
    if (error) {
      this.lineError(error);
      // A chunk never spans a bad line, so its byte range holds only requests that can run.
      this.closeChunk();
      return;
    }
    this.extendChunk(line);
  }

  result(): ValidationResult {
    const fileErrors = [...this.fileErrors];
    let errorCount = this.errorCount;
    if (this.total === 0) {
      fileErrors.push(lineError('empty_file', 'The input file contains no requests.', null, null));
      errorCount++;
    }
    return {
      errors: [...this.kept, ...fileErrors],
      errorCount,
      total: this.total,
      model: this.model?.name ?? null,
      chunks: this.open ? [...this.chunks, { ...this.open }] : [...this.chunks],
    };
  }

  private check(line: InputLine): LineError | null {
    const parsed = parseBatchLine(line.text, line.line, this.options.endpoint);
    if (isLineError(parsed)) return parsed;
    const { custom_id: customId, body } = parsed;

    const firstUse = this.customIds.get(customId);
    if (firstUse !== undefined) {
      return lineError('duplicate_custom_id', `The custom_id ${JSON.stringify(customId)} is already used on line ${firstUse}; each custom_id must be unique within a batch.`, 'custom_id', line.line);
    }
    this.customIds.set(customId, line.line);

    if (this.model === null) {
      this.model = { name: body.model, line: line.line };
      // Asked once: every other line must name the same model, so one refusal covers the file.
      const refusal = this.options.checkModel(body.model);
      if (refusal) return lineError(refusal.code, refusal.message, 'body.model', line.line);
    } else if (body.model !== this.model.name) {
      return lineError(
        'model_mismatch',
        `This line uses model ${JSON.stringify(body.model)} but the file's model is ${JSON.stringify(this.model.name)} (line ${this.model.line}); a batch uses one model.`,
        'body.model',
        line.line,
      );
    }

    if (this.options.endpoint === '/v1/embeddings') {
      this.embeddingInputs += embeddingInputCount(body.input);
      if (this.embeddingInputs > this.options.maxEmbeddingInputs && !this.tooManyInputs) {
        this.tooManyInputs = true;
        this.fileError(`The input file has more than ${this.options.maxEmbeddingInputs} embedding inputs in total, the maximum per batch.`);
      }
    }
    return null;
  }

  private lineError(error: LineError): void {
    this.errorCount++;
    if (this.kept.length < this.maxErrors) this.kept.push(error);
  }

  /** File-level errors are always kept, whatever the number of line errors before them. */
  private fileError(message: string): void {
    this.errorCount++;
    this.fileErrors.push(lineError('too_many_tasks', message, null, null));
  }

  private extendChunk(line: InputLine): void {
    if (this.open && this.open.count < this.options.chunkLines) {
      this.open.count++;
      this.open.end = line.end;
      return;
    }
    this.closeChunk();
    this.open = { index: this.chunks.length, firstLine: line.line, count: 1, start: line.start, end: line.end };
  }

  private closeChunk(): void {
    if (this.open) this.chunks.push(this.open);
    this.open = null;
  }
}
