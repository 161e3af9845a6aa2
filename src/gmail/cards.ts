import type { chat_v1 } from 'googleapis';

/**
 * The Card v1 model the Gmail add-on answers with. The card types are Google's own
 * (`GoogleAppsCardV1*` from googleapis), so a misspelt widget key is a compile error; the response
 * envelope (render actions, draft actions) is typed here after the add-on reference. Every text
 * shown in a card goes through `plain()` first: card text widgets understand a little HTML
 * (<b>, <i>, <a>, <font>, <br>), so a customer name such as `<a href=…>` must arrive as text.
 */

export type Card = chat_v1.Schema$GoogleAppsCardV1Card;
export type Section = chat_v1.Schema$GoogleAppsCardV1Section;
export type Widget = chat_v1.Schema$GoogleAppsCardV1Widget;
export type Button = chat_v1.Schema$GoogleAppsCardV1Button;
export type SelectionItem = chat_v1.Schema$GoogleAppsCardV1SelectionItem;

/** Google's documented limits on one card. */
export const CARD_LIMITS = { sections: 100, widgetsPerSection: 100, parameters: 20 } as const;

export interface Notification {
  text: string;
}

export interface Navigation {
  pushCard?: Card;
  updateCard?: Card;
  popCard?: boolean;
  popToRoot?: boolean;
}

export interface UpdateDraftActionMarkup {
  updateBody?: { insertContents: { content: string; contentType: 'TEXT' | 'MUTABLE_HTML' | 'IMMUTABLE_HTML' }[]; type: 'IN_PLACE_INSERT' | 'INSERT_AT_START' | 'INSERT_AT_END' };
  updateSubject?: { subject: string };
  updateToRecipients?: { toRecipients: string[] };
  updateCcRecipients?: { ccRecipients: string[] };
  updateBccRecipients?: { bccRecipients: string[] };
}

export interface GmailAction {
  updateDraftActionMarkup?: UpdateDraftActionMarkup;
  openCreatedDraftActionMarkup?: { draftId: string; draftThreadId: string };
}

/** What every add-on endpoint answers (a subset of RenderActions: what this add-on uses). */
export interface AddonResponse {
  renderActions?: {
    action?: { navigations?: Navigation[]; notification?: Notification };
    hostAppAction?: { gmailAction: GmailAction };
  };
}

/**
 * Card text, neutralised: `&`, `<`, `>` and quotes become entities, so user and customer text
 * never turns into markup (links, fonts) inside a card. Long texts are cut.
 */
export function plain(text: string | null | undefined, max = 2000): string {
  const value = String(text ?? '');
  const cut = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Bold label + neutralised value, the one markup this add-on writes itself. */
export const labelled = (label: string, value: string) => `<b>${plain(label)}</b> ${plain(value)}`;

export function paragraph(html: string): Widget {
  return { textParagraph: { text: html } };
}

export function decorated(top: string, text: string, bottom?: string): Widget {
  return { decoratedText: { topLabel: plain(top, 200), text: plain(text), ...(bottom ? { bottomLabel: plain(bottom, 200) } : {}), wrapText: true } as chat_v1.Schema$GoogleAppsCardV1DecoratedText };
}

export interface ActionTarget {
  /** The full https URL of the endpoint (the configured base + the action path). */
  url: string;
  parameters?: Record<string, string | undefined>;
}

function action(target: ActionTarget): chat_v1.Schema$GoogleAppsCardV1Action {
  const parameters = Object.entries(target.parameters ?? {})
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([key, value]) => ({ key, value }));
  return { function: target.url, ...(parameters.length ? { parameters } : {}) };
}

export function button(text: string, target: ActionTarget, options: { disabled?: boolean } = {}): Button {
  return { text: plain(text, 80), onClick: { action: action(target) }, ...(options.disabled ? { disabled: true } : {}) };
}

export function linkButton(text: string, url: string): Button {
  return { text: plain(text, 80), onClick: { openLink: { url } } };
}

export const buttons = (...list: Button[]): Widget => ({ buttonList: { buttons: list } });

export function textInput(name: string, label: string, options: { value?: string | undefined; hint?: string | undefined; multiline?: boolean; onChange?: ActionTarget } = {}): Widget {
  return {
    textInput: {
      name,
      label: plain(label, 200),
      type: options.multiline ? 'MULTIPLE_LINE' : 'SINGLE_LINE',
      ...(options.value !== undefined ? { value: options.value } : {}),
      ...(options.hint ? { hintText: plain(options.hint, 300) } : {}),
      ...(options.onChange ? { onChangeAction: action(options.onChange) } : {}),
    },
  };
}

export function dropdown(name: string, label: string, items: { text: string; value: string; selected?: boolean }[], onChange?: ActionTarget): Widget {
  return {
    selectionInput: {
      name,
      label: plain(label, 200),
      type: 'DROPDOWN',
      items: items.map((i) => ({ text: plain(i.text, 200), value: i.value, selected: Boolean(i.selected) })),
      ...(onChange ? { onChangeAction: action(onChange) } : {}),
    },
  };
}

export function datePicker(name: string, label: string, kind: 'DATE_ONLY' | 'DATE_AND_TIME', valueMs?: number, timezoneOffsetMinutes?: number): Widget {
  return {
    dateTimePicker: {
      name,
      label: plain(label, 200),
      type: kind,
      ...(valueMs !== undefined ? { valueMsEpoch: String(valueMs) } : {}),
      ...(timezoneOffsetMinutes !== undefined ? { timezoneOffsetDate: timezoneOffsetMinutes } : {}),
    },
  };
}

export const divider = (): Widget => ({ divider: {} });

export function section(widgets: Widget[], header?: string): Section {
  return { ...(header ? { header: plain(header, 200) } : {}), widgets };
}

export function card(title: string, sections: Section[], subtitle?: string): Card {
  return { header: { title: plain(title, 200), ...(subtitle ? { subtitle: plain(subtitle, 200) } : {}) }, sections: sections.filter((s) => (s.widgets ?? []).length > 0) };
}

/** A card pushed on the stack (first card of a trigger, or a new step). */
export const pushCard = (c: Card): AddonResponse => ({ renderActions: { action: { navigations: [{ pushCard: c }] } } });
/** The current card replaced (a search refreshed, a form re-shown with its errors). */
export const updateCard = (c: Card, notification?: string): AddonResponse => ({
  renderActions: { action: { navigations: [{ updateCard: c }], ...(notification ? { notification: { text: notification } } : {}) } },
});
export const notify = (text: string): AddonResponse => ({ renderActions: { action: { notification: { text } } } });

/** Opens a draft in the rep's Gmail (its compose window) with a notification saying what it is. */
export const openDraft = (draft: { draftId: string; threadId: string | null }, text: string): AddonResponse => ({
  renderActions: {
    hostAppAction: { gmailAction: { openCreatedDraftActionMarkup: { draftId: draft.draftId, draftThreadId: draft.threadId ?? '' } } },
    action: { notification: { text } },
  },
});

/** Problems of a card against Google's limits and this add-on's rules; empty when it is fine. */
export function cardProblems(c: Card): string[] {
  const problems: string[] = [];
  const sections = c.sections ?? [];
  if (sections.length === 0) problems.push('card has no sections');
  if (sections.length > CARD_LIMITS.sections) problems.push(`card has ${sections.length} sections (limit ${CARD_LIMITS.sections})`);
  sections.forEach((s, i) => {
    const widgets = s.widgets ?? [];
    if (widgets.length > CARD_LIMITS.widgetsPerSection) problems.push(`section ${i} has ${widgets.length} widgets (limit ${CARD_LIMITS.widgetsPerSection})`);
    widgets.forEach((w, j) => {
      const kinds = Object.keys(w).filter((k) => !['horizontalAlignment', 'id', 'visibility'].includes(k));
      if (kinds.length !== 1) problems.push(`section ${i} widget ${j} must be exactly one widget kind (has ${kinds.join(', ') || 'none'})`);
      const fn = w.buttonList?.buttons?.map((b) => b.onClick?.action?.function).filter(Boolean) ?? [];
      for (const f of fn) if (!/^https:\/\//.test(f!)) problems.push(`section ${i} widget ${j}: action function ${f} is not an https URL`);
    });
  });
  return problems;
}
