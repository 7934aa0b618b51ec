// A workshop made through the API and one learner in it, in a browser context of their own.
import { expect, type APIRequestContext, type Browser, type BrowserContext } from '@playwright/test';

/** What creating a workshop answers. */
export interface CreatedWorkshop {
  workshopId: string;
  joinCode: string;
  instructorKey: string;
  instructorUrl: string;
}

/** Creates a workshop of `exerciseIds` and lets a learner called `displayName` join it. */
export async function workshopWithLearner(
  request: APIRequestContext,
  browser: Browser,
  baseURL: string,
  { title, exerciseIds, displayName }: { title: string; exerciseIds: string[]; displayName: string },
): Promise<{ workshop: CreatedWorkshop; context: BrowserContext }> {
  const created = await request.post(`${baseURL}/api/workshops`, { data: { title, exerciseIds, capacity: 10 } });
  expect(created.status()).toBe(201);
  const workshop = (await created.json()) as CreatedWorkshop;
  const context = await browser.newContext();
  const joined = await context.request.post(`${baseURL}/api/workshops/join`, {
    data: { code: workshop.joinCode, displayName },
  });
  expect(joined.status()).toBe(200);
  return { workshop, context };
}
