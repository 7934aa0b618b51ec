// Run's request through the balancer: when the lab server behind it went away, the request was cut or
// the balancer answered 502/504, and nothing was started there. The page sends it again (the balancer
// then places the learner on a live server); a request that did reach a server before the cut is
// answered 409 with its run the second time, so no run starts twice. The load bench presses Run the same way.

/** Answers that mean the request never reached a lab server that could take it. */
const CUT = new Set([502, 504]);
/** Pauses before the request is sent again after a cut. */
export const RESEND_AFTER_MS = [500, 1_500];

/**
 * Sends with `send` (which answers undefined for a request cut on the way); sends again, twice at most,
 * while the answer says the request was cut. Returns the last answer and how many times it was sent again.
 */
export async function sendUnlessCut<R extends { status: number }>(
  send: () => Promise<R | undefined>,
  pause: (ms: number) => Promise<unknown> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<{ response: R | undefined; resent: number }> {
  for (let resent = 0; ; resent++) {
    const response = await send().catch(() => undefined);
    const cut = !response || CUT.has(response.status);
    if (!cut || resent === RESEND_AFTER_MS.length) return { response, resent };
    await pause(RESEND_AFTER_MS[resent]);
  }
}
