/**
 * ApiError is every failed API call, whatever went wrong: an RFC 9457 problem from the server,
 * a response that is not one, or no response at all (network down, request aborted).
 */
export interface FieldError {
  field: string;
  message: string;
}

/** ApiError carries the problem details the API sent, in a shape the UI can show. */
export class ApiError extends Error {
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** the problem type URN, e.g. `urn:problem-type:orders:out-of-stock`. */
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** the request's ID, to quote when reporting a problem. */
  readonly requestId: string;
  /** validation messages, one per offending field. */
  readonly fieldErrors: FieldError[];

  constructor(init: {
    status: number;
    type?: string;
    title?: string;
    detail?: string;
    requestId?: string;
    fieldErrors?: FieldError[];
  }) {
    super(init.detail || init.title || `request failed with status ${init.status}`);
    this.name = 'ApiError';
    this.status = init.status;
    this.type = init.type ?? 'about:blank';
    this.title = init.title ?? '';
    this.detail = init.detail ?? '';
    this.requestId = init.requestId ?? '';
    this.fieldErrors = init.fieldErrors ?? [];
  }

  /** The message for one field, if the server flagged it. */
  fieldError(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field)?.message;
  }

  /** Whether the problem type ends with the given code, e.g. `out-of-stock`. */
  is(code: string): boolean {
    return this.type.endsWith(`:${code}`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * toApiError turns a response body and status into an ApiError, reading problem details when the
 * body is one and falling back to the status alone when it is not.
 */
export function toApiError(status: number, body: unknown, requestId = ''): ApiError {
  if (!isRecord(body)) {
    return new ApiError({ status, requestId, detail: status === 0 ? 'The server could not be reached. Check your connection and try again.' : '' });
  }
  const errors = Array.isArray(body.errors)
    ? body.errors.filter(isRecord).map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }))
    : [];
  return new ApiError({
    status: typeof body.status === 'number' ? body.status : status,
    type: typeof body.type === 'string' ? body.type : undefined,
    title: typeof body.title === 'string' ? body.title : undefined,
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    requestId: typeof body.request_id === 'string' ? body.request_id : requestId,
    fieldErrors: errors,
  });
}

/** isNotFound says whether an error is the API's 404: used to hide features not deployed yet. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}
