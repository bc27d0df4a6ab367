/** Where a registered app starts on a server, apart from the in-process server so that what drives the engine need not load the product. */
import type { AppRegistry } from '../server/registry';

/** The start URL of a registered app on a server: its own start route, or a static document. */
export function appStartUrl(
  origin: string,
  registry: AppRegistry,
  name: string,
): string | undefined {
  const app = registry.get(name);
  if (!app) return undefined;
  const encoded = encodeURIComponent(app.name);
  return app.kind === 'static'
    ? `${origin}/apps/${encoded}.json`
    : `${origin}/apps/${encoded}/start`;
}
