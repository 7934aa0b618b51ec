// The engine's answers that are not failures for the caller, told by their HTTP status.

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

/** 404: no such container or image. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** 304: the container was already in the state asked for (stopped). */
export function isNotModified(error: unknown): boolean {
  return statusOf(error) === 304;
}

/** 409: the container is not in a state for this (not running any more, or being removed already). */
export function isConflict(error: unknown): boolean {
  return statusOf(error) === 409;
}
