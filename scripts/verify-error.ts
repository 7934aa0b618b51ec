// The error a failed verification of `npm run verify-deploy` throws, and the check that throws it.

/** A verification that failed: what the deployment did not do, said as the script prints it. */
export class VerifyError extends Error {}

/** Throws a VerifyError with `message` unless `ok` holds. */
export function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new VerifyError(message);
}
