import type { MiddlewareHandler } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { bearerAuth } from 'hono/bearer-auth';
import { some } from 'hono/combine';
import { secureHeaders } from 'hono/secure-headers';

/** Credentials the dashboard requires: a bearer token, basic auth, or both (either one admits). */
export interface DashboardAuth {
  readonly token?: string;
  readonly basic?: { readonly username: string; readonly password: string };
}

/**
 * Security headers of every response: scripts and styles from the app's own origin only (chart
 * specs are JSON data blocks, never run), no framing, no MIME sniffing.
 */
export const dashboardSecureHeaders: MiddlewareHandler = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    // ECharts positions its tooltip and canvas through element styles.
    styleSrc: ["'self'", "'unsafe-inline'"],
    // PNG export draws a data: image; the favicon is a data: URL.
    imgSrc: ["'self'", 'data:', 'blob:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  xContentTypeOptions: 'nosniff',
  referrerPolicy: 'same-origin',
});

/** The middleware that admits a request with any of the configured credentials. */
export function dashboardAuthMiddleware(auth: DashboardAuth): MiddlewareHandler | undefined {
  const checks: MiddlewareHandler[] = [];
  if (auth.token !== undefined) checks.push(bearerAuth({ token: auth.token }));
  if (auth.basic !== undefined)
    checks.push(basicAuth({ ...auth.basic, realm: 'Reelhouse dashboard' }));
  if (checks.length === 0) return undefined;
  return checks.length === 1 ? checks[0] : some(...checks);
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

/** True when `host` is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return loopbackHosts.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}
