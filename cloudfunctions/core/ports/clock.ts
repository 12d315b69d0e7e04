import crypto from 'node:crypto';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests and the sandbox can move by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date('2026-01-05T02:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Ids {
  /** A unique id with a readable prefix, sortable by creation time. */
  next(prefix: string): string;
}

export const randomIds: Ids = {
  next: (prefix) => `${prefix}${Date.now().toString(36)}${crypto.randomBytes(6).toString('hex')}`,
};
