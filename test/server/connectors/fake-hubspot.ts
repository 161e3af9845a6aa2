import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackFake } from './loopback-fake.js';

/**
 * A small in-memory HubSpot speaking the documented CRM v3 shapes the official client sends:
 *   POST /crm/v3/objects/{type}/search  {filterGroups:[{filters:[{propertyName, operator, value}]}], properties, limit}
 *        → 200 {total, results:[{id, properties, createdAt, updatedAt, archived}]}
 *   POST /crm/v3/objects/{type}          {properties, associations:[{to:{id}, types:[{associationCategory, associationTypeId}]}]}
 *        → 201 {id, properties, createdAt, updatedAt, archived}
 * Contacts are unique by e-mail (409 "Contact already exists. Existing ID: n"). Every call needs
 * `Authorization: Bearer <token>` (401 otherwise). `failNext` makes the next N calls answer 500/429.
 */

export interface StoredObject {
  id: string;
  type: string;
  properties: Record<string, string>;
  associations: Array<{ toId: string; typeId: number }>;
}

const TYPES: Record<string, string> = {
  contacts: 'contacts',
  '0-1': 'contacts',
  companies: 'companies',
  '0-2': 'companies',
  emails: 'emails',
  '0-49': 'emails',
  tasks: 'tasks',
  '0-27': 'tasks',
};

/** Which object type an association type id points at (HUBSPOT_DEFINED ids used by the adapter and a few more). */
const ASSOCIATION_TARGET: Record<number, string> = { 198: 'contacts', 186: 'companies', 204: 'contacts', 192: 'companies', 197: 'emails', 185: 'emails', 203: 'tasks', 191: 'tasks', 1: 'companies', 279: 'companies' };

export interface FailureOptions {
  retryAfter?: string;
  /** Only calls whose path matches fail (others pass and do not use up the failure). */
  path?: RegExp;
  /** Carry the call out, then answer the failure anyway (the answer is lost, the write is not). */
  afterCommit?: boolean;
}

interface Failure extends FailureOptions {
  status: number;
}

export class FakeHubspot extends LoopbackFake {
  readonly objects: StoredObject[] = [];
  readonly requests: Array<{ method: string; path: string; body: unknown }> = [];
  private nextId = 1000;
  private failures: Failure[] = [];
  /** Ids the search does not see yet (HubSpot's search index lags writes by a few seconds). */
  readonly hiddenFromSearch = new Set<string>();

  constructor(readonly token: string) {
    super();
  }

  /** The next `count` calls (matching `options.path`, if given) answer `status`; 429 answers carry `Retry-After` when given. */
  failNext(count: number, status: number, options: FailureOptions = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, ...options });
  }

  reset(): void {
    this.objects.length = 0;
    this.requests.length = 0;
    this.failures = [];
    this.hiddenFromSearch.clear();
  }

  add(type: string, properties: Record<string, string>): StoredObject {
    const object: StoredObject = { id: String(this.nextId++), type, properties: { ...properties }, associations: [] };
    this.objects.push(object);
    return object;
  }

  ofType(type: string): StoredObject[] {
    return this.objects.filter((o) => o.type === type);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return this.send(res, 400, { status: 'error', message: 'Invalid input JSON', category: 'VALIDATION_ERROR' });
    }
    this.requests.push({ method: req.method ?? '', path, body });

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return this.send(res, 401, {
        status: 'error',
        message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
        category: 'INVALID_AUTHENTICATION',
        correlationId: 'c0ffee00-0000-4000-8000-000000000001',
      });
    }
    const index = this.failures.findIndex((f) => !f.path || f.path.test(path));
    const failure = index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
    if (failure?.afterCommit) {
      this.route(req.method ?? '', path, body, { writeHead: () => res, end: () => res } as unknown as ServerResponse);
    }
    if (failure) {
      if (failure.status === 429) {
        return this.send(
          res,
          429,
          { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' },
          failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
        );
      }
      return this.send(res, failure.status, { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' });
    }

    this.route(req.method ?? '', path, body, res);
  }

  private route(method: string, path: string, body: unknown, res: ServerResponse): void {
    const search = /^\/crm\/v3\/objects\/([^/]+)\/search$/.exec(path);
    const create = /^\/crm\/v3\/objects\/([^/]+)$/.exec(path);
    if (method === 'POST' && search) return this.search(res, TYPES[search[1]!], body);
    if (method === 'POST' && create) return this.create(res, TYPES[create[1]!], body);
    return this.send(res, 404, { status: 'error', message: `no route ${method} ${path}`, category: 'OBJECT_NOT_FOUND' });
  }

  private search(res: ServerResponse, type: string | undefined, body: unknown): void {
    if (!type) return this.send(res, 400, { status: 'error', message: 'unknown object type', category: 'VALIDATION_ERROR' });
    const request = body as { filterGroups?: Array<{ filters: Array<{ propertyName: string; operator: string; value?: string }> }>; properties?: string[]; limit?: number };
    const groups = request.filterGroups ?? [];
    for (const group of groups) {
      for (const filter of group.filters) {
        if (filter.operator !== 'EQ') return this.send(res, 400, { status: 'error', message: `fake supports EQ only, got ${filter.operator}`, category: 'VALIDATION_ERROR' });
      }
    }
    const matches = this.ofType(type).filter(
      (object) =>
        !this.hiddenFromSearch.has(object.id) &&
        (groups.length === 0 ||
        groups.some((group) =>
          group.filters.every((filter) => {
            const association = /^associations\.(.+)$/.exec(filter.propertyName);
            if (association) {
              const target = TYPES[association[1] === 'contact' ? 'contacts' : association[1] === 'company' ? 'companies' : association[1]!];
              return object.associations.some((a) => a.toId === filter.value && ASSOCIATION_TARGET[a.typeId] === target);
            }
            const value = object.properties[filter.propertyName];
            // HubSpot compares e-mails and domains case-insensitively.
            return value !== undefined && value.toLowerCase() === String(filter.value ?? '').toLowerCase();
          }),
        )),
    );
    const limited = matches.slice(0, request.limit ?? 10);
    const wanted = request.properties ?? [];
    this.send(res, 200, {
      total: matches.length,
      results: limited.map((o) => ({
        id: o.id,
        properties: Object.fromEntries([['hs_object_id', o.id], ...wanted.map((p) => [p, o.properties[p] ?? null])]),
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:00.000Z',
        archived: false,
      })),
    });
  }

  private create(res: ServerResponse, type: string | undefined, body: unknown): void {
    if (!type) return this.send(res, 400, { status: 'error', message: 'unknown object type', category: 'VALIDATION_ERROR' });
    const input = body as { properties?: Record<string, string>; associations?: Array<{ to: { id: string }; types: Array<{ associationCategory: string; associationTypeId: number }> }> };
    if (!input?.properties) return this.send(res, 400, { status: 'error', message: 'properties is required', category: 'VALIDATION_ERROR' });
    if (type === 'contacts' && input.properties.email) {
      const clash = this.ofType('contacts').find((c) => c.properties.email?.toLowerCase() === input.properties!.email!.toLowerCase());
      if (clash) return this.send(res, 409, { status: 'error', message: `Contact already exists. Existing ID: ${clash.id}`, category: 'CONFLICT' });
    }
    if ((type === 'emails' || type === 'tasks') && !input.properties.hs_timestamp) {
      return this.send(res, 400, { status: 'error', message: 'Property values were not valid: hs_timestamp is required', category: 'VALIDATION_ERROR' });
    }
    for (const association of input.associations ?? []) {
      const target = this.objects.find((o) => o.id === association.to.id);
      const spec = association.types[0];
      if (!target || !spec || ASSOCIATION_TARGET[spec.associationTypeId] !== target.type || spec.associationCategory !== 'HUBSPOT_DEFINED') {
        return this.send(res, 400, { status: 'error', message: `invalid association ${JSON.stringify(association)}`, category: 'VALIDATION_ERROR' });
      }
    }
    const object = this.add(type, input.properties);
    object.associations = (input.associations ?? []).map((a) => ({ toId: a.to.id, typeId: a.types[0]!.associationTypeId }));
    this.send(res, 201, { id: object.id, properties: object.properties, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', archived: false });
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }
}
