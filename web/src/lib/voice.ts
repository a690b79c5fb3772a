// Spoken cues: the server synthesizes each text with espeak-ng (/api/voice?text=...); the page
// decodes it once and plays it with Web Audio, scheduled on AudioContext.currentTime (the audio
// hardware clock) so it stays on time when the tab is in the background. Cues never overlap:
// each starts when the previous one ends, except urgent ones, which cut in at once.
// Everything goes through one gain node (mute and volume), and `onSpeaking` reports when a cue
// starts and when the last one ends, for the "speaking" sign on the session screen.
import { audioStartTime } from './audio-clock';

export type VoiceState = 'off' | 'ready' | 'unavailable';

export class VoicePlayer {
  private ctx: AudioContext | null = null;
  private buffers = new Map<string, Promise<AudioBuffer | null>>();
  private playing: AudioBufferSourceNode[] = [];
  private nextFreeS = 0;
  private gain: GainNode | null = null;
  private volume = 1;
  private muted = false;
  private speakingTimers: number[] = [];
  state: VoiceState = 'off';
  speaking = false;
  onSpeaking: (speaking: boolean) => void = () => {};

  /** Volume 0..1 and mute; a muted player still shows the cues, it only stays silent. */
  setVolume(volume: number, muted: boolean): void {
    this.volume = Math.min(1, Math.max(0, volume));
    this.muted = muted;
    if (this.gain) this.gain.gain.value = this.muted ? 0 : this.volume;
    if (muted) this.silence();
  }

  get isMuted(): boolean {
    return this.muted;
  }

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
    this.gain = this.ctx.createGain();
    this.gain.gain.value = this.muted ? 0 : this.volume;
    this.gain.connect(this.ctx.destination);
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
    if (!this.ctx || this.state === 'unavailable' || this.muted) return;
    const buffer = await this.buffer(text);
    if (!buffer || !this.ctx || this.muted) return;
    const ctx = this.ctx;
    if (urgent) this.silence();
    const start = Math.max(audioStartTime({ perfMs: performance.now(), audioS: ctx.currentTime }, duePerfMs), urgent ? 0 : this.nextFreeS);
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(this.gain ?? ctx.destination);
    source.start(start);
    this.nextFreeS = start + buffer.duration;
    this.playing.push(source);
    this.speakingTimers.push(window.setTimeout(() => this.setSpeaking(true), Math.max(0, (start - ctx.currentTime) * 1000)));
    source.onended = () => {
      this.playing = this.playing.filter((s) => s !== source);
      if (this.playing.length === 0) this.setSpeaking(false);
    };
  }

  /** Whether the text's audio is fetched and decoded (so it plays even if the server is gone). */
  async ready(text: string): Promise<boolean> {
    return (await this.buffer(text)) !== null;
  }

  /**
   * A warning that does not need the server: the prefetched clip when there is one, otherwise
   * the browser's own speech synthesis, and a short two-tone beep in any case.
   */
  async warn(text: string): Promise<'clip' | 'synthesis' | 'muted' | 'none'> {
    if (this.muted) return 'muted';
    this.beep();
    const cached = this.buffers.has(text) ? await this.buffers.get(text) : null;
    if (cached && this.ctx) {
      await this.say(text, true);
      return 'clip';
    }
    const synth = window.speechSynthesis;
    if (synth && typeof SpeechSynthesisUtterance !== 'undefined') {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.volume = this.volume;
      synth.speak(utterance);
      return 'synthesis';
    }
    return 'none';
  }

  private beep(): void {
    const ctx = this.ctx;
    if (!ctx || !this.gain) return;
    [0, 0.25].forEach((offset, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = i === 0 ? 880 : 660;
      osc.connect(this.gain!);
      osc.start(ctx.currentTime + offset);
      osc.stop(ctx.currentTime + offset + 0.18);
    });
  }

  private setSpeaking(speaking: boolean) {
    if (speaking && this.playing.length === 0) return;
    if (this.speaking === speaking) return;
    this.speaking = speaking;
    this.onSpeaking(speaking);
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
    for (const timer of this.speakingTimers) window.clearTimeout(timer);
    this.speakingTimers = [];
    this.setSpeaking(false);
  }

  close(): void {
    this.silence();
  }
}
