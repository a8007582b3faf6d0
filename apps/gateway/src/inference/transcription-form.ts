import { type FastifyRequest } from 'fastify';

import { ApiError } from '../http/api-error.js';

/** OpenAI's limit for an audio upload. */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
const FIELDS = new Set(['model', 'language', 'prompt', 'response_format', 'temperature']);

const invalid = (message: string, param: string | null) => new ApiError(400, 'invalid_request_error', message, 'invalid_request', param);

/**
 * Reads `POST /v1/audio/transcriptions` as the SDKs send it (multipart: `file` and fields) into the
 * JSON the worker takes. The audio is held in memory up to 25 MB (OpenAI's limit); larger is a 413.
 */
export async function readTranscriptionForm(request: FastifyRequest): Promise<Record<string, unknown>> {
  if (!request.isMultipart()) throw invalid('Send the audio as multipart/form-data with a `file` part, as the OpenAI SDKs do.', 'file');
  const body: Record<string, unknown> = {};
  let audio: Buffer | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_AUDIO_BYTES, files: 1, fields: 10 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw invalid(`Unexpected file part '${part.fieldname}'.`, part.fieldname);
        audio = await part.toBuffer();
      } else if (FIELDS.has(part.fieldname)) {
        body[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new ApiError(413, 'invalid_request_error', `The audio file is larger than ${MAX_AUDIO_BYTES / 1024 / 1024} MB.`, 'file_too_large', 'file');
    throw invalid(`The multipart form could not be read: ${error instanceof Error ? error.message : String(error)}`, 'file');
  }
  if (!audio || audio.length === 0) throw invalid('file: an audio file is required.', 'file');
  return { ...body, audio_base64: audio.toString('base64'), format: 'wav' };
}
