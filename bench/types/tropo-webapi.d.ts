/** Type declarations for the parts of the untyped `tropo-webapi` library (15.13.0) the peer baseline uses. */
declare module 'tropo-webapi' {
  /** Builds a WebAPI document; each method appends one verb to `tropo`. */
  export class TropoWebAPI {
    tropo: Record<string, unknown>[];
    call(to: string | string[]): void;
    say(value: string): void;
    hangup(): void;
    on(event: string, name: string | null, next: string): void;
  }
  /** Serialises a TropoWebAPI, dropping null fields. */
  export function TropoJSON(tropo: TropoWebAPI): string;
}
