'use client';
// A new visitor is given their learner cookie once, before anything is saved in their name. Every
// request that writes (a draft, a run) names the learner by the cookie, and the server gives a request
// without one a new learner: a draft saved and a Run pressed before the first answer came back made
// two learners of one browser, the run under one and the cookie left with the other, so a second tab
// (or a reload) could not see the run. Writes wait for this first.
let ready: Promise<void> | null = null;

/** Resolves once this browser has its learner cookie (asked for once per page; tried again after a failure). */
export function learnerReady(): Promise<void> {
  ready ??= fetch('/api/learner', { method: 'POST' }).then(
    () => undefined,
    () => {
      // Unreachable: the write that waits goes ahead and meets the same failure; the next one asks again.
      ready = null;
    },
  );
  return ready;
}
