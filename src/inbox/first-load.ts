import type { TeamConversationList, TeamInboxList } from '../contract/team-inbox.js';
import { InboxApi, type Me } from './api.js';
import { adoptFragmentToken, storedToken } from './auth.js';

/**
 * The first screen's three answers, asked for together the moment the page's script runs —
 * before React and Fluent UI are even evaluated — instead of one after another from the
 * components (who am I → which inboxes → the first page: three round trips before a row;
 * docs/performance.md, "Team inbox"). The unassigned list is asked for without naming an inbox
 * (the store then lists every inbox the rep works): for a rep of one inbox that is the page the
 * list would ask for; a rep of several has the first inbox's page asked for again.
 *
 * Each answer is used once (`settled` or `take`): a later check, a reload of the list or another
 * list asks the store. A refusal (an expired token) reaches the page through the `/me` answer,
 * which signs out.
 */
export interface FirstLoad {
  /** The answer if it has already come back fine (the page's first render shows it), else nothing. */
  settled<K extends keyof FirstAnswers>(what: K): FirstAnswers[K] | undefined;
  /** The answer as a promise, if not used yet. */
  take<K extends keyof FirstAnswers>(what: K): Promise<FirstAnswers[K]> | undefined;
  /** Resolves when every answer is in (fine or not), or after `withinMs`, whichever is first. */
  ready(withinMs: number): Promise<void>;
  /**
   * Stores a token the URL fragment brought (sessionStorage, and the fragment removed): left until
   * the first screen is painted, as both are synchronous round trips to the browser that held up
   * the first requests (the token is used from memory until then). Does nothing the second time.
   */
  keepToken(): void;
}

export interface FirstAnswers {
  me: Me;
  inboxes: TeamInboxList;
  unassigned: TeamConversationList;
}

interface Answer<T> {
  promise: Promise<T>;
  value?: T;
}
type Pending = { [K in keyof FirstAnswers]?: Answer<FirstAnswers[K]> };

/** Takes a dev token from the fragment and, when the tab holds a token, asks for the first screen. */
export function startFirstLoad(api = new InboxApi(() => storedToken() ?? '', () => undefined)): FirstLoad | undefined {
  let keep = () => {};
  adoptFragmentToken((store) => (keep = store));
  if (!storedToken()) return undefined;
  const pending: Pending = {};
  const ask = <K extends keyof FirstAnswers>(what: K, promise: Promise<FirstAnswers[K]>) => {
    const entry: Answer<FirstAnswers[K]> = { promise };
    // Remembered for a synchronous read; a refusal is not unhandled while nobody has taken it yet.
    promise.then((value) => (entry.value = value), () => undefined);
    (pending as Record<keyof FirstAnswers, Answer<unknown>>)[what] = entry;
  };
  ask('me', api.me());
  ask('inboxes', api.inboxes());
  ask('unassigned', api.list(null, 'unassigned'));
  const all = Promise.allSettled(Object.values(pending).map((e) => e.promise)).then(() => undefined);
  return {
    settled(what) {
      const entry = pending[what];
      if (entry?.value === undefined) return undefined;
      delete pending[what];
      return entry.value;
    },
    take(what) {
      const entry = pending[what];
      delete pending[what];
      return entry?.promise;
    },
    ready: (withinMs) => Promise.race([all, new Promise<void>((resolve) => setTimeout(resolve, withinMs))]),
    keepToken() {
      const store = keep;
      keep = () => {};
      store();
    },
  };
}
