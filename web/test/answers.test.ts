import { describe, expect, it } from 'vitest';
import type { Question } from '../src/lib/api';
import { answerPayload, firstUnanswered, validateAnswer } from '../src/lib/answers';

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
