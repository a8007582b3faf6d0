/** An answer of the batch service's HTTP API in OpenAI's error shape; the gateway relays it as is. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly param: string | null = null,
    readonly type = status === 404 ? 'not_found_error' : status >= 500 ? 'server_error' : 'invalid_request_error',
  ) {
    super(message);
    this.name = 'HttpFailure';
  }

  toBody() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const notFound = (what: 'file' | 'batch', id: string) => new HttpFailure(404, `No such ${what}: '${id}'.`, `${what}_not_found`, 'id');
