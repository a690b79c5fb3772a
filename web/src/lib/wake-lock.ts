// Keeps the screen on during a session (Screen Wake Lock API). The browser drops the lock when
// the page is hidden, so it is asked for again when the page becomes visible while the session
// runs. Browsers without the API, or that refuse (battery saver), simply let the screen sleep:
// `state` says which, for the session screen to show.

export type WakeState = 'off' | 'on' | 'unsupported' | 'refused';

interface Sentinel {
  release(): Promise<void>;
  addEventListener(type: 'release', listener: () => void): void;
}

export class WakeLockKeeper {
  state: WakeState = 'off';
  private sentinel: Sentinel | null = null;
  private wanted = false;
  private readonly onVisible = () => {
    if (this.wanted && document.visibilityState === 'visible' && !this.sentinel) void this.request();
  };

  constructor(private readonly onChange: (state: WakeState) => void = () => {}) {}

  async acquire(): Promise<void> {
    this.wanted = true;
    document.addEventListener('visibilitychange', this.onVisible);
    await this.request();
  }

  private async request(): Promise<void> {
    const api = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<Sentinel> } }).wakeLock;
    if (!api) return this.set('unsupported');
    try {
      const sentinel = await api.request('screen');
      if (!this.wanted) {
        await sentinel.release();
        return;
      }
      this.sentinel = sentinel;
      sentinel.addEventListener('release', () => {
        if (this.sentinel === sentinel) this.sentinel = null;
        if (this.wanted) this.set('off');
      });
      this.set('on');
    } catch {
      this.set('refused');
    }
  }

  async release(): Promise<void> {
    this.wanted = false;
    document.removeEventListener('visibilitychange', this.onVisible);
    const sentinel = this.sentinel;
    this.sentinel = null;
    if (sentinel) await sentinel.release().catch(() => {});
    this.set('off');
  }

  private set(state: WakeState) {
    this.state = state;
    this.onChange(state);
  }
}
