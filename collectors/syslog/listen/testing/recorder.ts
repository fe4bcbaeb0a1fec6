/** Test double for a listener's FrameHandler and FrameErrorHandler that records everything. */
import type { PeerInfo } from '../types';

export interface RecordedFrame {
  frame: string;
  peer: PeerInfo;
}

export interface RecordedError {
  reason: string;
  peer: PeerInfo;
  detail: string;
  /** Messages the report stands for (a receive thread's drops); 1 otherwise. */
  count: number;
}

export class FrameRecorder {
  readonly frames: RecordedFrame[] = [];
  readonly errors: RecordedError[] = [];

  readonly onFrame = (frame: string, peer: PeerInfo): boolean => {
    this.frames.push({ frame, peer });
    return true;
  };

  readonly onError = (reason: string, peer: PeerInfo, detail?: string, count = 1): void => {
    this.errors.push({ reason, peer, detail: detail ?? '', count });
  };

  texts(): string[] {
    return this.frames.map((f) => f.frame);
  }

  /** Messages reported with `reason` (a report may stand for several). */
  errorCount(reason: string): number {
    let n = 0;
    for (const e of this.errors) if (e.reason === reason) n += e.count;
    return n;
  }

  /** Polls until `done()` holds; fails naming `what` and the current state after `timeoutMs`. */
  async waitFor(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
    await waitUntil(what, done, timeoutMs, () => `${this.frames.length} frames, errors: ${JSON.stringify(this.errors.slice(0, 5).map((e) => e.detail))}`);
  }
}

export async function waitUntil(what: string, done: () => boolean, timeoutMs = 10_000, state?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state ? ` (${state()})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
