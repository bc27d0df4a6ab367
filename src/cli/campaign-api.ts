/**
 * The HTTP side of `tropo-app campaign`: one request to the server's campaign routes, and the
 * server's refusals turned into short lines a person can act on (which row is wrong, how to get
 * Redis, which key to set).
 */

/** The counts of one campaign by reminder status, as the server keeps them. */
export type Counts = Record<string, number>;

/** A campaign as `GET /api/campaigns/:id` (and each entry of the list) describes it. */
export interface CampaignView {
  id: string;
  app?: string;
  name?: string;
  createdAt?: string;
  state?: string;
  counts?: Counts;
}

/** One row's problem in a refused import. */
interface Issue {
  row?: number;
  id?: string;
  path?: string;
  message?: string;
}

/** The server's answer to one request. */
export interface ApiAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** A request that did not get the answer it needed; `lines` say why, one thing per line. */
export class CampaignApiError extends Error {
  override readonly name = 'CampaignApiError';
  constructor(
    readonly lines: string[],
    /** True when waiting and asking again may help (server restarting, network blip). */
    readonly transient: boolean,
  ) {
    super(lines.join('; '));
  }
}

/** Where and how to reach the server. */
export interface ApiTarget {
  server: string;
  apiKey: string | undefined;
  fetch: typeof fetch;
}

/** Sends one request to the server and returns its answer, or throws `CampaignApiError` when unreachable. */
export async function request(
  target: ApiTarget,
  method: string,
  path: string,
  init: { body?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  if (init.contentType) headers['content-type'] = init.contentType;
  let response: Response;
  try {
    response = await target.fetch(new URL(path, target.server), {
      method,
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CampaignApiError(
      [`cannot reach the server at ${target.server} (${reason}): is it running? (npm start)`],
      true,
    );
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** Parses a JSON answer, or throws `CampaignApiError` when the server sent something else. */
export function json<T>(answer: ApiAnswer): T {
  try {
    return JSON.parse(answer.text) as T;
  } catch {
    throw new CampaignApiError(
      [`the server answered ${answer.status} with something that is not JSON`],
      false,
    );
  }
}

interface ErrorBody {
  code?: string;
  message?: string;
  issues?: Issue[];
}

function errorBody(answer: ApiAnswer): ErrorBody {
  try {
    const parsed = JSON.parse(answer.text) as { error?: ErrorBody | null };
    if (parsed.error && typeof parsed.error === 'object') return parsed.error;
  } catch {
    // Not JSON: the status line alone has to do.
  }
  return {};
}

function issueLine(issue: Issue): string {
  const where = [
    issue.row !== undefined ? `row ${issue.row}` : undefined,
    issue.id !== undefined ? `(id ${issue.id})` : undefined,
    issue.path,
  ]
    .filter(Boolean)
    .join(' ');
  return `  ${where || 'campaign'}: ${issue.message ?? 'invalid'}`;
}

/** Turns an answer that is not a success into `CampaignApiError`; `what` names the campaign asked for. */
export function failure(target: ApiTarget, answer: ApiAnswer, what?: string): CampaignApiError {
  const error = errorBody(answer);
  const said = error.message ? `: ${error.message}` : '';
  const code = error.code;
  switch (answer.status) {
    case 400: {
      const issues = Array.isArray(error.issues) ? error.issues : [];
      if (code === 'CAMPAIGN_INVALID' && issues.length > 0) {
        const noun = issues.length === 1 ? 'problem' : 'problems';
        return new CampaignApiError(
          [
            `the server refused the campaign, nothing was created (${issues.length} ${noun}):`,
            ...issues.map(issueLine),
          ],
          false,
        );
      }
      return new CampaignApiError([`the server refused the request${said}`], false);
    }
    case 401:
    case 403:
      return new CampaignApiError(
        [
          target.apiKey
            ? `the server refused the API key (${answer.status}): set API_KEY to the key the server runs with`
            : `the server wants an API key (${answer.status}): set API_KEY to the key the server runs with`,
        ],
        false,
      );
    case 404:
      if (code === 'API_DISABLED') {
        return new CampaignApiError(
          ['the server has its API switched off: start it with API_KEY set'],
          false,
        );
      }
      if (code === 'UNKNOWN_APP') {
        return new CampaignApiError(
          [`the server has no such app${said} (\`tropo-app apps\` lists them)`],
          false,
        );
      }
      if (what === undefined) {
        return new CampaignApiError(
          [`${target.server} has no campaign routes: is it a tropo-app-server with campaigns?`],
          false,
        );
      }
      return new CampaignApiError([`no campaign "${what}" on ${target.server}`], false);
    case 413:
      return new CampaignApiError(
        [`the file is larger than the server accepts (CAMPAIGN_MAX_BYTES)${said}`],
        false,
      );
    case 503:
      if (code === 'CAMPAIGNS_NEED_REDIS') {
        return new CampaignApiError(
          [
            'the server runs without Redis, and campaigns need it: start both with `docker compose up`,',
            '  or run `redis-server --appendonly yes` and start the server with REDIS_URL=redis://127.0.0.1:6379',
          ],
          false,
        );
      }
      return new CampaignApiError([`the server is not ready (503)${said}`], true);
    default:
      return new CampaignApiError(
        [`the server answered ${answer.status}${said}`],
        answer.status >= 500,
      );
  }
}
