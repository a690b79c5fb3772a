// Questionnaire answers (screening and check-in): validation and the next question to ask.
// Pure, tested in test/answers.test.ts. Answers are sent as {question_id: value}: "yes"/"no",
// a choice id, a number, or "unknown" for "Not sure" (src/triage/answers.cpp: an unknown answer
// decides nothing, so a rule it could fire keeps the verdict at a stop tier).
import type { Question } from './api';

export type Answer = string | number;
export type Answers = Record<string, Answer>;

/** "Not sure", as the API spells it. */
export const unknownAnswer = 'unknown';

/** An error message for an invalid answer, or null when the answer is acceptable. */
export function validateAnswer(question: Question, value: Answer | undefined): string | null {
  if (value === undefined || value === '') return 'Please answer this question.';
  if (value === unknownAnswer) return null;
  switch (question.type) {
    case 'yes_no':
      return value === 'yes' || value === 'no' ? null : 'Please choose yes or no.';
    case 'choice':
      return question.choices.some((choice) => choice.id === value) ? null : 'Please pick one of the options.';
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return 'Please enter a number.';
      if (question.min !== undefined && n < question.min) return `Please enter at least ${question.min}.`;
      if (question.max !== undefined && n > question.max) return `Please enter at most ${question.max}.`;
      return null;
    }
    default:
      return null;
  }
}

/**
 * Whether the question is put to the user, given the answers so far: one whose not_asked_when
 * holds is moot ("where does it hurt?" after "Nothing: I feel fine") and the server answers it.
 */
export function isAsked(question: Question, answers: Answers): boolean {
  const when = question.not_asked_when;
  return !when || answers[when.question] !== when.is;
}

/** Index of the first question asked and without a valid answer, or -1 when all are answered. */
export function firstUnanswered(questions: Question[], answers: Answers): number {
  return questions.findIndex((question) => isAsked(question, answers) && validateAnswer(question, answers[question.id]) !== null);
}

/**
 * The questions put, asked so far and to come: `atLeast` whatever the answers still to come,
 * `atMost` if none of them leaves one out ("Nothing: I feel fine" leaves out where it hurts).
 * The counter says "2 of up to 7" while they differ, so it never promises a question that an
 * answer may leave out.
 */
export function askedRange(questions: Question[], answers: Answers): { atLeast: number; atMost: number } {
  let atLeast = 0;
  let atMost = 0;
  for (const question of questions) {
    if (!isAsked(question, answers)) continue;
    atMost += 1;
    const when = question.not_asked_when;
    const decider = when ? questions.find((q) => q.id === when.question) : undefined;
    const pending = decider !== undefined && isAsked(decider, answers) && (answers[decider.id] ?? '') === '';
    if (!pending) atLeast += 1;
  }
  return { atLeast, atMost };
}

/** The answers to send: numbers as numbers, only for known questions that were asked. */
export function answerPayload(questions: Question[], answers: Answers): Answers {
  const out: Answers = {};
  for (const question of questions) {
    if (!isAsked(question, answers)) continue;
    const value = answers[question.id];
    if (value === undefined || value === '') continue;
    out[question.id] = question.type === 'number' && value !== unknownAnswer ? Number(value) : value;
  }
  return out;
}
