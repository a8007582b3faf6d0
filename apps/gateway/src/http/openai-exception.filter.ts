import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';

import { toApiError } from './error-mapping.js';

/** The one place errors become HTTP responses, in OpenAI's shape; logged once with the request id. */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const error = toApiError(exception);
    if (error.status >= 500) {
      this.logger.error({ msg: 'request failed', requestId: request.id, method: request.method, url: request.url, err: exception instanceof Error ? exception.stack : String(exception) });
    }
    void reply.status(error.status).headers(error.headers).send(error.toBody());
  }
}
