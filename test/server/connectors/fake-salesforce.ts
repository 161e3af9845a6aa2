import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackFake } from './loopback-fake.js';

/**
 * A small in-memory Salesforce REST API speaking the documented shapes jsforce sends and reads:
 *   GET  /services/data/vNN.N/query?q=<SOQL>  → 200 {totalSize, done, records:[{attributes:{type,url}, …fields}]}
 *   POST /services/data/vNN.N/sobjects/<Type> → 201 {id, success:true, errors:[]}
 *   errors                                    → [{message, errorCode, fields?}]
 * SOQL understood: SELECT f, … FROM T [WHERE F = literal AND …] [ORDER BY …] [LIMIT n] with
 * string (case-insensitive, as SOQL compares), date, true/false and null literals. Unknown fields
 * on create answer 400 INVALID_FIELD. Every call needs `Authorization: Bearer <token>` (401
 * INVALID_SESSION_ID otherwise). `failNext` makes the next N calls answer 500/429/403.
 */

export type SfRecord = Record<string, string | boolean | null> & { Id: string };

const PREFIX: Record<string, string> = { Contact: '003', Lead: '00Q', Task: '00T', EmailMessage: '02s', EmailMessageRelation: '0D7' };

const CREATEABLE: Record<string, string[]> = {
  Task: ['Subject', 'Description', 'ActivityDate', 'Status', 'TaskSubtype', 'WhoId', 'WhatId', 'Priority', 'OwnerId'],
  EmailMessage: ['Subject', 'TextBody', 'HtmlBody', 'FromAddress', 'FromName', 'ToAddress', 'CcAddress', 'BccAddress', 'MessageDate', 'Incoming', 'Status', 'MessageIdentifier', 'ActivityId', 'ParentId', 'RelatedToId', 'ThreadIdentifier'],
  EmailMessageRelation: ['EmailMessageId', 'RelationId', 'RelationType', 'RelationAddress'],
  Contact: ['Email', 'FirstName', 'LastName', 'AccountId'],
  Lead: ['Email', 'FirstName', 'LastName', 'Company', 'IsConverted'],
};

export interface FailureOptions {
  retryAfter?: string;
  path?: RegExp;
  /** Carry the call out, then answer the failure anyway (the write happened, the answer is lost). */
  afterCommit?: boolean;
  errorCode?: string;
}

type Literal = string | boolean | null;
interface Condition {
  field: string;
  value: Literal;
}

/** Parses the WHERE part: `Field = literal (AND Field = literal)*`. */
function parseWhere(where: string): Condition[] {
  const conditions: Condition[] = [];
  let i = 0;
  const skipSpace = () => {
    while (where[i] === ' ') i++;
  };
  while (i < where.length) {
    skipSpace();
    const field = /^[A-Za-z_.]+/.exec(where.slice(i))?.[0];
    if (!field) throw new Error(`bad WHERE near: ${where.slice(i)}`);
    i += field.length;
    skipSpace();
    if (where[i] !== '=') throw new Error(`only = is supported, near: ${where.slice(i)}`);
    i++;
    skipSpace();
    let value: Literal;
    if (where[i] === "'") {
      i++;
      let text = '';
      while (i < where.length && where[i] !== "'") {
        if (where[i] === '\\') {
          const next = where[i + 1];
          text += next === 'n' ? '\n' : next === 'r' ? '\r' : next ?? '';
          i += 2;
        } else {
          text += where[i];
          i++;
        }
      }
      if (where[i] !== "'") throw new Error('unterminated string literal');
      i++;
      value = text;
    } else {
      const word = /^[^\s]+/.exec(where.slice(i))?.[0] ?? '';
      i += word.length;
      if (word === 'null') value = null;
      else if (word === 'true' || word === 'false') value = word === 'true';
      else if (/^\d{4}-\d{2}-\d{2}$/.test(word)) value = word;
      else throw new Error(`unsupported literal ${word}`);
    }
    conditions.push({ field, value });
    skipSpace();
    if (i < where.length) {
      if (!where.startsWith('AND ', i)) throw new Error(`only AND is supported, near: ${where.slice(i)}`);
      i += 4;
    }
  }
  return conditions;
}

export class FakeSalesforce extends LoopbackFake {
  readonly records: Array<{ type: string; fields: SfRecord }> = [];
  readonly requests: Array<{ method: string; path: string; query: string | null; body: unknown }> = [];
  private failures: Array<FailureOptions & { status: number }> = [];
  private nextId = 1;

  constructor(readonly token: string) {
    super();
  }

  reset(): void {
    this.records.length = 0;
    this.requests.length = 0;
    this.failures = [];
  }

  failNext(count: number, status: number, options: FailureOptions = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, ...options });
  }

  add(type: string, fields: Record<string, string | boolean | null>): SfRecord {
    const id = `${PREFIX[type] ?? '001'}${String(this.nextId++).padStart(12, '0')}AAA`;
    const record = { ...fields, Id: id } as SfRecord;
    this.records.push({ type, fields: record });
    return record;
  }

  ofType(type: string): SfRecord[] {
    return this.records.filter((r) => r.type === type).map((r) => r.fields);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return this.send(res, 400, [{ message: 'The request body is not valid JSON', errorCode: 'JSON_PARSER_ERROR' }]);
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams.get('q'), body });

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return this.send(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    const index = this.failures.findIndex((f) => !f.path || f.path.test(url.pathname));
    const failure = index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
    if (failure?.afterCommit) this.route(req.method ?? '', url, body, null);
    if (failure) {
      const errorCode = failure.errorCode ?? (failure.status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : 'UNKNOWN_EXCEPTION');
      return this.send(res, failure.status, [{ message: `simulated ${failure.status}`, errorCode }], failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }
    this.route(req.method ?? '', url, body, res);
  }

  private route(method: string, url: URL, body: unknown, res: ServerResponse | null): void {
    const send = (status: number, payload: unknown) => (res ? this.send(res, status, payload) : undefined);
    const query = /^\/services\/data\/v\d+\.\d+\/query\/?$/.exec(url.pathname);
    const sobject = /^\/services\/data\/v\d+\.\d+\/sobjects\/(\w+)\/?$/.exec(url.pathname);
    if (method === 'GET' && query) {
      try {
        return send(200, this.query(url.searchParams.get('q') ?? ''));
      } catch (error) {
        return send(400, [{ message: (error as Error).message, errorCode: 'MALFORMED_QUERY' }]);
      }
    }
    if (method === 'POST' && sobject) {
      const type = sobject[1]!;
      const allowed = CREATEABLE[type];
      if (!allowed) return send(404, [{ message: `The requested resource does not exist: ${type}`, errorCode: 'NOT_FOUND' }]);
      const fields = body as Record<string, string | boolean | null>;
      const unknown = Object.keys(fields).filter((f) => !allowed.includes(f));
      if (unknown.length) return send(400, [{ message: `No such column '${unknown[0]}' on sobject of type ${type}`, errorCode: 'INVALID_FIELD', fields: unknown }]);
      for (const ref of ['WhoId', 'EmailMessageId', 'RelationId', 'ActivityId']) {
        const target = fields[ref];
        if (typeof target === 'string' && !this.records.some((r) => r.fields.Id === target)) {
          return send(400, [{ message: `${ref}: id value of incorrect type: ${target}`, errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: [ref] }]);
        }
      }
      const record = this.add(type, fields);
      return send(201, { id: record.Id, success: true, errors: [] });
    }
    return send(404, [{ message: `no route ${method} ${url.pathname}`, errorCode: 'NOT_FOUND' }]);
  }

  private query(soql: string): unknown {
    const m = /^SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (.+?))?(?: LIMIT (\d+))?$/.exec(soql.trim());
    if (!m) throw new Error(`unexpected SOQL: ${soql}`);
    const [, select, type, where, , limit] = m;
    const fields = select!.split(',').map((f) => f.trim());
    const conditions = where ? parseWhere(where) : [];
    const matches = this.ofType(type!).filter((record) =>
      conditions.every(({ field, value }) => {
        const actual = record[field] ?? null;
        if (value === null || typeof value === 'boolean') return actual === value || (value === false && actual === null && field === 'IsConverted');
        return typeof actual === 'string' && actual.toLowerCase() === value.toLowerCase();
      }),
    );
    const limited = limit ? matches.slice(0, Number(limit)) : matches;
    return {
      totalSize: limited.length,
      done: true,
      records: limited.map((record) => ({
        attributes: { type, url: `/services/data/v62.0/sobjects/${type}/${record.Id}` },
        ...Object.fromEntries(fields.map((f) => [f, record[f] ?? null])),
      })),
    };
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  }
}
