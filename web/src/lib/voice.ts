// Spoken cues: the server synthesizes each text with espeak-ng (/api/voice?text=...); the page
// decodes it once and plays it with Web Audio, scheduled on AudioContext.currentTime (the audio
// hardware clock) so it stays on time when the tab is in the background. Cues never overlap:
// each starts when the previous one ends, except urgent ones, which cut in at once.
import { audioStartTime } from './audio-clock';

export type VoiceState = 'off' | 'ready' | 'unavailable';

export class VoicePlayer {
  private ctx: AudioContext | null = null;
  private buffers = new Map<string, Promise<AudioBuffer | null>>();
  private playing: AudioBufferSourceNode[] = [];
  private nextFreeS = 0;
  state: VoiceState = 'off';

  /** Must run inside a user gesture (a click): browsers only start audio after one. */
  unlock(): void {
    if (this.ctx) {
      void this.ctx.resume();
      return;
    }
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) {
      this.state = 'unavailable';
      return;
    }
    this.ctx = new Ctor({ latencyHint: 'interactive' });
    void this.ctx.resume();
    this.state = 'ready';
  }

  /** Fetches and decodes ahead of time, so a cue plays the moment it is due. */
  prefetch(texts: Iterable<string>): void {
    for (const text of texts) void this.buffer(text);
  }

  private buffer(text: string): Promise<AudioBuffer | null> {
    let pending = this.buffers.get(text);
    if (!pending) {
      pending = this.load(text);
      this.buffers.set(text, pending);
    }
    return pending;
  }

  private async load(text: string): Promise<AudioBuffer | null> {
    if (!this.ctx) return null;
    try {
      const response = await fetch(`/api/voice?text=${encodeURIComponent(text)}`, { credentials: 'same-origin' });
      if (!response.ok) {
        if (response.status === 404 || response.status === 501) this.state = 'unavailable';
        return null;
      }
      return await this.ctx.decodeAudioData(await response.arrayBuffer());
    } catch {
      return null;
    }
  }

  /** Plays `text` at `duePerfMs` (performance.now() time; default: now). */
  async say(text: string, urgent = false, duePerfMs = performance.now()): Promise<void> {
    if (!this.ctx || this.state === 'unavailable') return;
    const buffer = await this.buffer(text);
    if (!buffer || !this.ctx) return;
    const ctx = this.ctx;
    if (urgent) this.silence();
    const start = Math.max(audioStartTime({ perfMs: performance.now(), audioS: ctx.currentTime }, duePerfMs), urgent ? 0 : this.nextFreeS);
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(ctx.destination);
    source.start(start);
    this.nextFreeS = start + buffer.duration;
    this.playing.push(source);
    source.onended = () => {
      this.playing = this.playing.filter((s) => s !== source);
    };
  }

  silence(): void {
    for (const source of this.playing) {
      try {
        source.stop();
      } catch {
        // already stopped
      }
    }
    this.playing = [];
    this.nextFreeS = 0;
  }

  close(): void {
    this.silence();
  }
}
