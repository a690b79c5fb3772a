import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WakeLockKeeper, type WakeState } from '../src/lib/wake-lock';

// A stand-in for the browser: navigator.wakeLock hands out sentinels the "system" can drop
// (as browsers do when the page is hidden), and document fires visibilitychange.
class FakeSentinel extends EventTarget {
  released = false;
  async release() {
    if (this.released) return;
    this.released = true;
    this.dispatchEvent(new Event('release'));
  }
}

let requests: FakeSentinel[] = [];
const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });

beforeEach(() => {
  requests = [];
  doc.visibilityState = 'visible';
  Object.defineProperty(globalThis, 'document', { value: doc, configurable: true });
  Object.defineProperty(globalThis, 'navigator', {
    value: { wakeLock: { request: async () => requests[requests.push(new FakeSentinel()) - 1] } },
    configurable: true,
  });
});

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'document');
});

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('WakeLockKeeper', () => {
  it('holds a lock during the session, asks again when the page is visible after the browser dropped it, and lets go at the end', async () => {
    const states: WakeState[] = [];
    const keeper = new WakeLockKeeper((s) => states.push(s));
    await keeper.acquire();
    expect(requests.length).toBe(1);
    expect(keeper.state).toBe('on');

    doc.visibilityState = 'hidden';
    await requests[0].release(); // the browser drops it when the page is hidden
    expect(keeper.state).toBe('off');
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(requests.length).toBe(1); // not while hidden

    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(requests.length).toBe(2);
    expect(keeper.state).toBe('on');

    await keeper.release();
    expect(requests[1].released).toBe(true);
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(requests.length).toBe(2); // no new lock after the session
    expect(states.at(-1)).toBe('off');
  });

  it('says when the browser has no wake lock', async () => {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
    const keeper = new WakeLockKeeper();
    await keeper.acquire();
    expect(keeper.state).toBe('unsupported');
  });
});
