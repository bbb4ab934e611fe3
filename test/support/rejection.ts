/** A rejected promise's error, with the typed errors' `code` and `details`. */
export type Rejection = Error & { code?: string; details?: Record<string, unknown> };

/** The error `promise` rejects with; fails the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (error) {
    return error as Rejection;
  }
  throw new Error('expected the promise to reject');
}
