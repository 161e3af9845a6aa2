import Type from 'typebox';

/**
 * Team-inbox routing rules as a pack writes them (`routing:` in a pack; docs/team-inbox.md).
 * Structure only; the checks JSON Schema cannot say (a region table's country codes, a rule that
 * assigns nobody) are in rules.ts and run with the pack's validation, so errors carry line:column.
 */

const closed = { additionalProperties: false } as const;
const Email = Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 254 });
const Country = Type.String({ pattern: '^[A-Za-z]{2}$' });
const Word = Type.String({ minLength: 1, maxLength: 100 });

export const ASSIGN_STRATEGIES = ['round-robin', 'least-open'] as const;

export const RoutingConditionSchema = Type.Object(
  {
    /** Any of these words or phrases, in the subject or body (`in`), any language. */
    words: Type.Optional(Type.Array(Word, { minItems: 1, maxItems: 500 })),
    in: Type.Optional(Type.Enum(['subject', 'body', 'any'])),
    /** The sender's country (ISO 3166 alpha-2) as the client-time inference reads it. */
    countries: Type.Optional(Type.Array(Country, { minItems: 1, maxItems: 250 })),
    /** The message's detected language (`en`, `zh`, `es`, `ar`, …). */
    languages: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z]{2,3}$' }), { minItems: 1, maxItems: 50 })),
    /** The sender's company is (true) / is not (false) a known customer. */
    knownCustomer: Type.Optional(Type.Boolean()),
    /** The mail has (true) / has no (false) attachments. */
    attachments: Type.Optional(Type.Boolean()),
  },
  closed,
);

export const RoutingAssignSchema = Type.Object(
  {
    /** One rep, by e-mail. */
    to: Type.Optional(Email),
    /** A group's members (slug); default: the inbox's members. */
    group: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    /** How to pick among several: round robin (default) or the one with fewest open conversations. */
    by: Type.Optional(Type.Enum(ASSIGN_STRATEGIES)),
    /** Country → rep e-mail; a sender from a country not listed falls through to `group`/`by`. */
    regions: Type.Optional(Type.Record(Type.String(), Email, { maxProperties: 250 })),
    /**
     * The buyer's company's first letter → rep e-mail: keys `A-F`, `G`, … (Latin letters, accents
     * folded) and `other` (digits, CJK and every other script); a company not covered falls through.
     */
    letters: Type.Optional(Type.Record(Type.String(), Email, { maxProperties: 30 })),
  },
  closed,
);

export const RoutingRuleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** Only for this team inbox's address; default every team inbox. */
    inbox: Type.Optional(Email),
    when: Type.Optional(RoutingConditionSchema),
    assign: Type.Optional(RoutingAssignSchema),
    tag: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' }), { minItems: 1, maxItems: 20 })),
    /** `manager` or rep e-mails: told in the inbox (and by the outbox event) when the rule fires. */
    notify: Type.Optional(Type.Array(Type.Union([Type.Literal('manager'), Email]), { minItems: 1, maxItems: 20 })),
  },
  closed,
);

export const RoutingSchema = Type.Object({ rules: Type.Array(RoutingRuleSchema, { minItems: 1, maxItems: 200 }) }, closed);

export type RoutingCondition = Type.Static<typeof RoutingConditionSchema>;
export type RoutingAssign = Type.Static<typeof RoutingAssignSchema>;
export type RoutingRule = Type.Static<typeof RoutingRuleSchema>;
export type Routing = Type.Static<typeof RoutingSchema>;
