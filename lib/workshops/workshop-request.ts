// What a page sends to create, join or message a workshop, validated at the boundary.
import { z } from 'zod';
import { WORKSHOP_POLICY } from './workshop-policy';

/** Text a person typed: no control characters but line breaks, trimmed. */
function text(max: number, what: string) {
  return z
    .string()
    .transform((value) => value.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ').trim())
    .pipe(z.string().min(1, `${what}, please`).max(max, `at most ${max} characters`));
}

/** One line: what a title or a name is. */
function line(max: number, what: string) {
  return z
    .string()
    .transform((value) => value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim())
    .pipe(z.string().min(1, `${what}, please`).max(max, `at most ${max} characters`));
}

const instant = z.iso
  .datetime({ offset: true, message: 'a date and time such as 2026-11-22T09:00:00Z' })
  .transform((value) => new Date(value));

/** POST /api/workshops. */
export const CreateWorkshopSchema = z
  .object({
    title: line(WORKSHOP_POLICY.titleMaxLength, 'a title'),
    exerciseIds: z
      .array(z.string().max(200))
      .min(1, 'choose at least one exercise')
      .max(WORKSHOP_POLICY.maxExercises, `at most ${WORKSHOP_POLICY.maxExercises} exercises`),
    startsAt: instant.nullish(),
    endsAt: instant.nullish(),
    capacity: z
      .number()
      .int('a whole number of learners')
      .min(WORKSHOP_POLICY.capacity.min, `at least ${WORKSHOP_POLICY.capacity.min} learner`)
      .max(WORKSHOP_POLICY.capacity.max, `at most ${WORKSHOP_POLICY.capacity.max} learners`),
  })
  .strict()
  .refine((workshop) => !workshop.startsAt || !workshop.endsAt || workshop.endsAt > workshop.startsAt, {
    path: ['endsAt'],
    message: 'the end must come after the start',
  });
export type CreateWorkshop = z.infer<typeof CreateWorkshopSchema>;

/** POST /api/workshops/join. */
export const JoinWorkshopSchema = z
  .object({
    code: z.string().max(40),
    displayName: line(WORKSHOP_POLICY.displayNameMaxLength, 'a name'),
  })
  .strict();
export type JoinWorkshop = z.infer<typeof JoinWorkshopSchema>;

/** POST /api/workshops/<id>/messages. */
export const WorkshopMessageSchema = z.object({ text: text(WORKSHOP_POLICY.messageMaxLength, 'a message') }).strict();
