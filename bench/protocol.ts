/** The IPC messages between the harness and a target's child process. */
import type { TargetInfo } from './target';

/** Sent by the child once its server listens on 127.0.0.1. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
  info: TargetInfo;
}

/** Sent by the child in answer to a MemoryRequest. */
export interface MemoryMessage {
  type: 'memory';
  rss: number;
  heapUsed: number;
  /** The same after a full garbage collection: what the process keeps, as opposed to what it grew to. */
  rssAfterGc: number;
  heapUsedAfterGc: number;
}

/** Sent by the child when it cannot start. */
export interface FailedMessage {
  type: 'failed';
  message: string;
}

/** Anything a child sends. */
export type ChildMessage = ReadyMessage | MemoryMessage | FailedMessage;

/** Sent by the harness to ask a child for its memory use. */
export interface MemoryRequest {
  type: 'memory';
}

/** True when `value` looks like a message from a child. */
export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'memory' || type === 'failed';
}
