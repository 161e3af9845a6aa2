/** The closed word lists of the pack format, apart from the schema so the console's editor can offer them without TypeBox. */
/** `team`: a team inbox's own mail (the acknowledgement, the hand-off) — sent by the store, not offered to reps while composing. */
export const TEMPLATE_KINDS = ['inquiry', 'quote', 'sample', 'follow-up', 'shipping', 'payment', 'other', 'team'] as const;
/** The kinds a rep composes with: every kind but `team`. */
export const COMPOSE_KINDS = TEMPLATE_KINDS.filter((k): k is Exclude<(typeof TEMPLATE_KINDS)[number], 'team'> => k !== 'team');
export const FIELD_TYPES = ['text', 'textarea', 'number', 'money', 'date', 'choice', 'email', 'url', 'lines'] as const;
export const COLUMN_TYPES = ['text', 'number', 'money', 'date'] as const;
export const SIGNATURE_ON_SEND = ['block', 'warn', 'off'] as const;
/** Bank details in a draft that are not the company's official ones: warn (default), block, or off. */
export const PAYMENTS_POLICY = ['warn', 'block', 'off'] as const;
/** How Gmail gets a trade document to the buyer: added to the draft (default, when the store may write to the rep's Gmail) or as a link to the store. */
export const DOCUMENT_DELIVERY = ['attach', 'link'] as const;
