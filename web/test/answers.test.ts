import { describe, expect, it } from 'vitest';
import type { Question } from '../src/lib/api';
import { answerPayload, askedRange, firstUnanswered, isAsked, validateAnswer } from '../src/lib/answers';

const yesNo: Question = { id: 'saddle_numbness', text: 'Numb?', help: '', type: 'yes_no', choices: [] };
const age: Question = { id: 'age', text: 'Age?', help: '', type: 'number', choices: [], min: 0, max: 120 };
const kind: Question = { id: 'kind', text: 'Kind?', help: '', type: 'choice', choices: [{ id: 'dull_ache', label: 'Dull ache' }] };

describe('validateAnswer', () => {
  it('accepts only yes or no for yes/no questions', () => {
    expect(validateAnswer(yesNo, 'yes')).toBeNull();
    expect(validateAnswer(yesNo, 'maybe')).not.toBeNull();
    expect(validateAnswer(yesNo, undefined)).not.toBeNull();
  });
  it('checks number ranges', () => {
    expect(validateAnswer(age, 40)).toBeNull();
    expect(validateAnswer(age, '40')).toBeNull();
    expect(validateAnswer(age, 130)).toMatch(/at most 120/);
    expect(validateAnswer(age, -1)).toMatch(/at least 0/);
    expect(validateAnswer(age, 'abc')).not.toBeNull();
  });
  it('accepts only listed choices', () => {
    expect(validateAnswer(kind, 'dull_ache')).toBeNull();
    expect(validateAnswer(kind, 'sharp')).not.toBeNull();
  });
});

describe('firstUnanswered and answerPayload', () => {
  it('finds the first question still needing an answer', () => {
    expect(firstUnanswered([yesNo, age], {})).toBe(0);
    expect(firstUnanswered([yesNo, age], { saddle_numbness: 'no' })).toBe(1);
    expect(firstUnanswered([yesNo, age], { saddle_numbness: 'no', age: 40 })).toBe(-1);
  });
  it('sends numbers as numbers and drops unknown ids', () => {
    expect(answerPayload([yesNo, age], { saddle_numbness: 'no', age: '41', other: 'x' })).toEqual({ saddle_numbness: 'no', age: 41 });
  });
});

describe('a check-in question made moot by an earlier answer', () => {
  const feel: Question = {
    id: 'checkin_kind', text: 'What does it feel like?', help: '', type: 'choice',
    choices: [{ id: 'none', label: 'Nothing: I feel fine' }, { id: 'dull_ache', label: 'A dull ache' }],
  };
  const where: Question = {
    id: 'checkin_location', text: 'Where do you feel it most?', help: '', type: 'choice',
    choices: [{ id: 'upper_back', label: 'Upper back' }, { id: 'elsewhere', label: 'Elsewhere' }],
    not_asked_when: { question: 'checkin_kind', is: 'none' },
  };
  const questions = [feel, where];

  it('is not asked after "Nothing: I feel fine": the answers are complete', () => {
    expect(isAsked(where, { checkin_kind: 'none' })).toBe(false);
    expect(firstUnanswered(questions, { checkin_kind: 'none' })).toBe(-1);
    expect(askedRange(questions, { checkin_kind: 'none' }).atMost).toBe(1);
  });
  it('is asked after any other answer, and before the first one', () => {
    expect(firstUnanswered(questions, { checkin_kind: 'dull_ache' })).toBe(1);
    expect(firstUnanswered(questions, {})).toBe(0);
    expect(askedRange(questions, {}).atMost).toBe(2);
  });
  it('is counted as "up to" until the answer that may leave it out is given', () => {
    expect(askedRange(questions, {})).toEqual({ atLeast: 1, atMost: 2 });
    expect(askedRange(questions, { checkin_kind: 'none' })).toEqual({ atLeast: 1, atMost: 1 });
    expect(askedRange(questions, { checkin_kind: 'dull_ache' })).toEqual({ atLeast: 2, atMost: 2 });
  });
  it('sends no stale answer for it after the first answer changed to "none"', () => {
    expect(answerPayload(questions, { checkin_kind: 'none', checkin_location: 'upper_back' })).toEqual({ checkin_kind: 'none' });
  });
});
