/** What a template is rendered with. Every group is optional; what a template uses and lacks is reported, never printed blank. */
export interface RenderContext {
  contact?: Record<string, string | null | undefined>;
  customer?: Record<string, string | null | undefined>;
  rep?: Record<string, string | null | undefined>;
  company?: Record<string, string | null | undefined>;
  /** Values for the template's fields, by field name (see checkFieldValues for the accepted shapes). */
  fields?: Record<string, unknown>;
  client?: { localTime?: string; timeZone?: string };
}

/** Something the mail needs and does not have, named for the UI: 'product', 'contact.firstName', 'lines.qty'. */
export interface MissingValue {
  name: string;
  /** The field's label in the variant's language, when the name is a field. */
  label?: string;
  where: 'subject' | 'body';
  reason: string;
}

export type RenderResult =
  | { ok: true; language: string; subject: string; html: string; text: string }
  | { ok: false; language: string; missing: MissingValue[] };

export interface RenderOptions {
  /** The moment "today" and relative date defaults ("+30d") are counted from. Default: now. */
  now?: Date;
  /** The rep's time zone, for "today" and for timestamps. Default: UTC. */
  timeZone?: string;
  /** Render through liquidjs's interpreter and html-to-text instead of the compiled form: for the tests that compare the two. */
  interpret?: boolean;
  /** 'html': the body's HTML only (subject and text left empty) — what the render bench compares with Handlebars. */
  only?: 'html';
}
