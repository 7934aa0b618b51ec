// The visiting learner's workshop, for pages (server components).
import { readForPage } from '../learners/page-learner';
import { learnerWorkshop, type LearnerWorkshopView } from './learner-workshop';

/** The visiting learner's current workshop; null when they are in none (self-paced). */
export function pageWorkshop(): Promise<LearnerWorkshopView | null> {
  return readForPage('workshop', (learnerId) => learnerWorkshop(learnerId), null);
}
