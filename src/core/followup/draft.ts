import type { PackDocument, PackTemplate } from '../pack/schema.js';

/**
 * The one-click "follow up" (docs/followups.md): which template writes it and what the store
 * fills in from the reminder itself, so the rep gets a finished reply draft.
 */

/** The first template of kind `follow-up` in the rep's packs, in the order the store serves them. */
export function followUpTemplateOf(packs: readonly { pack: string; document: Pick<PackDocument, 'templates'> }[]): { pack: string; template: PackTemplate } | null {
  for (const p of packs) {
    const template = p.document.templates?.find((t) => t.kind === 'follow-up');
    if (template) return { pack: p.pack, template };
  }
  return null;
}

/** What a follow-up template's `about` choice is called for the kind of mail that went unanswered. */
const ABOUT_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  quote: ['quotation', 'quote'],
  sample: ['samples', 'sample'],
  inquiry: ['inquiry'],
  shipping: ['shipping', 'shipment'],
  payment: ['payment'],
};

export interface FollowUpFacts {
  /** The day the unanswered mail left, YYYY-MM-DD on the rep's clock. */
  sentOn: string | null;
  /** The template kind of the unanswered mail (quote, sample …), when the rep set the reminder from a template. */
  kind: string | null;
  /** The unanswered mail's subject. */
  subject: string;
}

/**
 * Values for the fields a follow-up template declares that the reminder knows: `sentOn` (a date
 * field), `about` (a choice, set only to one of its own options), `originalSubject` (the
 * unanswered mail's subject). Anything else keeps the template's default; a required
 * field left empty makes the render answer "missing values", which the faces show.
 */
export function followUpFields(template: Pick<PackTemplate, 'fields'>, facts: FollowUpFacts): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of template.fields ?? []) {
    if (field.name === 'sentOn' && field.type === 'date' && facts.sentOn) values.sentOn = facts.sentOn;
    else if (field.name === 'about' && field.type === 'choice' && facts.kind) {
      const pick = (ABOUT_BY_KIND[facts.kind] ?? []).find((o) => field.options?.includes(o));
      if (pick) values.about = pick;
    } else if (field.name === 'originalSubject' && facts.subject) values.originalSubject = facts.subject;
  }
  return values;
}

/** A reply's subject: the unanswered mail's, with one "Re:" (buyers' clients thread by it too). */
export function replySubjectOf(subject: string): string {
  const s = subject.trim();
  return /^(re|aw|sv|回复|答复)\s*[:：]/i.test(s) ? s : `Re: ${s}`;
}
