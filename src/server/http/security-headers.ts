import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The pages Outlook may frame: Outlook on the web and new Outlook (outlook.office.com,
 * outlook.office365.com, outlook.cloud.microsoft), Outlook.com (outlook.live.com) and the Office
 * web hosts (*.officeapps.live.com). Desktop Outlook loads the pages directly, not in a frame.
 */
export const OUTLOOK_FRAME_ANCESTORS = [
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook.cloud.microsoft',
  'https://outlook.live.com',
  'https://*.officeapps.live.com',
];

/** Office.js comes from Microsoft's CDN; it is the only script loaded from elsewhere. */
const OFFICE_JS = 'https://appsforoffice.microsoft.com';

/** The add-in pages Outlook opens (task pane, sign-in dialog, event runtime). The playground is a dev page: never framed by Outlook. */
const OUTLOOK_PAGES = new Set(['taskpane.html', 'signin.html', 'events.html']);

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

/** 'sha256-…' of each inline script, so the policy allows exactly those and no injected one. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map((m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
}

/**
 * A Content-Security-Policy for one page: scripts only from this origin, Office.js's CDN and the
 * page's own inline scripts by hash; connections to this origin and the sign-in services the
 * faces use; nothing else. Styles allow 'unsafe-inline': Fluent UI inserts its rules at run time
 * and template previews carry the inline styles mail needs; styles cannot run code here.
 */
export function pagePolicy(hashes: string[], frameAncestors: string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${OFFICE_JS} https://accounts.google.com/gsi/client ${hashes.join(' ')}`.trim(),
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline' https://accounts.google.com/gsi/style",
    // Templates show the https images mail carries (logos, product photos).
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    "connect-src 'self' https://login.microsoftonline.com https://accounts.google.com/gsi/",
    "frame-src 'self' https://login.microsoftonline.com https://accounts.google.com/gsi/",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.join(' ')}`,
  ].join('; ');
}

/**
 * Security headers in one hook: `X-Content-Type-Options: nosniff` on every answer, and on every
 * HTML page a CSP listing what that page loads, with `frame-ancestors` limited to Outlook's hosts
 * for the add-in pages and 'none' elsewhere (the dev playground frames the task pane from this
 * origin, so add-in pages also allow 'self'). /docs keeps swagger-ui's own policy (app.ts).
 */
export function installSecurityHeaders(app: FastifyInstance, addinDir: string): void {
  const fileHashes = new Map<string, { mtimeMs: number; hashes: string[] }>();
  const hashesOfFile = (file: string): string[] => {
    try {
      const { mtimeMs } = statSync(file);
      const hit = fileHashes.get(file);
      if (hit && hit.mtimeMs === mtimeMs) return hit.hashes;
      const hashes = inlineScriptHashes(readFileSync(file, 'utf8'));
      fileHashes.set(file, { mtimeMs, hashes });
      return hashes;
    } catch {
      return [];
    }
  };

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    const type = String(reply.getHeader('content-type') ?? '');
    const path = request.url.split('?')[0]!;
    if (!type.startsWith('text/html') || path.startsWith('/docs')) return payload;
    // A page that sets its own policy (the Google consent callback's, stricter than this one) keeps it.
    if (reply.hasHeader('content-security-policy')) return payload;
    let hashes: string[] = [];
    let ancestors = ["'none'"];
    if (path.startsWith('/addin/')) {
      const page = basename(path);
      hashes = hashesOfFile(join(addinDir, page));
      if (OUTLOOK_PAGES.has(page)) ancestors = ["'self'", ...OUTLOOK_FRAME_ANCESTORS];
    } else if (typeof payload === 'string') {
      hashes = inlineScriptHashes(payload);
    }
    reply.header('content-security-policy', pagePolicy(hashes, ancestors));
    return payload;
  });
}
