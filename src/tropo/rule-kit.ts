/** What a document rule is: a function of the verbs, the channel and input paths, giving warnings. */
import type { Channel } from './fields';
import type { Issue, Segment } from './issues';
import type { NormalVerb } from './schema';

/** What every rule sees. */
export interface RuleContext {
  verbs: readonly NormalVerb[];
  channel: Channel | undefined;
  /** The input path of a place inside verb `index`'s body, given by its normal-form segments. */
  at: (index: number, ...segments: Segment[]) => string;
}

export type Rule = (ctx: RuleContext) => Issue[];

/** A warning at `path`. */
export function warn(path: string, message: string): Issue {
  return { path, message, severity: 'warning' };
}
