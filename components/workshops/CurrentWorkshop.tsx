// The banner of the visitor's workshop, read on the server so that the page arrives with it; nothing
// for a learner outside any workshop (self-paced).
import { pageWorkshop } from '@/lib/workshops/page-workshop';
import { WorkshopBanner } from './WorkshopBanner';

export async function CurrentWorkshop({ currentExerciseId }: { currentExerciseId?: string }) {
  const workshop = await pageWorkshop();
  return workshop ? <WorkshopBanner initial={workshop} currentExerciseId={currentExerciseId} /> : null;
}
