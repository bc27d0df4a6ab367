/** What the campaign routes need of the campaign service (src/campaigns provides it with Redis): requests in, status and JSON out. */

/** A JSON answer: status, body, and the catalogue code of an error. */
export interface CampaignAnswer {
  status: number;
  body: unknown;
  code?: string;
}

/** One `POST /api/campaigns` as the route read it. */
export interface CampaignCreateRequest {
  /** `json` when the body was parsed JSON, `csv` when it is CSV text. */
  kind: 'json' | 'csv';
  body: unknown;
  query: { app?: string | undefined; name?: string | undefined };
  idempotencyKey: string | undefined;
}

/** The campaign operations behind the routes. */
export interface CampaignApi {
  create(request: CampaignCreateRequest): Promise<CampaignAnswer>;
  list(): Promise<CampaignAnswer>;
  show(id: string, offset?: string, limit?: string): Promise<CampaignAnswer>;
  /** The report's CSV text in chunks; undefined when there is no such campaign. */
  report(id: string): Promise<AsyncIterable<string> | undefined>;
  cancel(id: string): Promise<CampaignAnswer>;
}
