/**
 * Errors the engine answers with: a stable `error_type` a client can branch on, a sentence for the
 * person, and what to do next. They travel in the tool's error envelope unchanged.
 */
export class WorkflowError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    readonly remediation: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'WorkflowError';
  }
}

export const isWorkflowError = (e: unknown): e is WorkflowError => e instanceof WorkflowError;

/** The error envelope fields of a WorkflowError (stored for retried requests, returned by the tool). */
export function errorFields(error: WorkflowError): Record<string, unknown> {
  return { error: error.message, error_type: error.errorType, remediation: error.remediation, ...error.details };
}
